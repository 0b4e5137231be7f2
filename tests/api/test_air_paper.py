"""Paper itineraries (纸质行程单): registered as paper vouchers of kind air, until 2025-09-30."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.air_support import AirFiles
from tests.claims_support import API, make_org, paper_body, problem, register_paper

FLIGHT = {
    "kind": "air",
    "train_number": None,
    "flight_number": "CA1831",
    "departure_station": "北京首都",
    "arrival_station": "上海虹桥",
    "seat_class": "Y",
    "fare": "700.00",
    "fuel_surcharge": "60.00",
    "civil_aviation_fund": "50.00",
}


def air_paper(**overrides: object) -> dict[str, object]:
    body = paper_body(**FLIGHT)
    del body["train_number"]
    body.update(overrides)
    return body


def test_a_paper_itinerary_registers_with_its_flight(client: TestClient, session: Session):
    org = make_org(session)
    response = client.post(f"{API}/paper-vouchers", json=air_paper(), headers=org.h("employee"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["train_number"], body["flight_number"]) == ("air", None, "CA1831")
    assert (body["fare"], body["fuel_surcharge"], body["civil_aviation_fund"]) == (
        "700.00",
        "60.00",
        "50.00",
    )
    assert body["other_taxes"] == "0.00"
    assert body["total_amount"] == "810.00"
    rail = register_paper(client, org)
    assert (rail["kind"], rail["flight_number"], rail["total_amount"]) == (
        "railway",
        None,
        "553.00",
    )


def test_a_flight_after_the_transition_has_no_paper_itinerary(client: TestClient, session: Session):
    org = make_org(session)
    response = client.post(
        f"{API}/paper-vouchers", json=air_paper(travel_date="2025-10-01"), headers=org.h("employee")
    )
    problem(response, 422, "paper-after-transition")


def test_a_paper_itinerary_needs_a_flight_and_a_cabin_letter(client: TestClient, session: Session):
    org = make_org(session)
    cases = [
        (air_paper(flight_number=None), "flight_number"),
        (air_paper(train_number="G1"), "train_number"),
        (air_paper(seat_class="二等座"), "seat_class"),
        (paper_body(fuel_surcharge="1.00"), "fuel_surcharge"),
        (paper_body(flight_number="CA1831"), "flight_number"),
        (paper_body(seat_class="Y"), "seat_class"),
    ]
    for body, field in cases:
        response = client.post(f"{API}/paper-vouchers", json=body, headers=org.h("employee"))
        refused = problem(response, 422, "validation-error")
        assert field in {e["field"] for e in refused["errors"]}, (body, refused)


def test_one_ticket_is_never_reimbursed_in_two_media(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    e_invoice = air_files.upload(client, session, org)
    response = client.post(
        f"{API}/paper-vouchers",
        json=air_paper(e_ticket_number=e_invoice["e_ticket_number"]),
        headers=org.h("employee"),
    )
    problem(response, 409, "ticket-already-claimed")
    # The same number on a train is another ticket.
    register_paper(client, org, e_ticket_number=e_invoice["e_ticket_number"])
