"""Air e-itineraries in the invoice API: their JSON, the kind filter and the ticket key's kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session

from railclaim_devkit.synthetic import AirInvoiceSpec, generate_mixed_zips
from tests.air_support import AirFiles, air_segment
from tests.claims_support import API, days_ago, make_org, trip_spec, upload


def test_an_air_itinerary_reads_as_air_with_its_flights(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    travel = days_ago(12)
    body = air_files.upload(
        client,
        session,
        org,
        travel_date=travel,
        segments=(
            air_segment(travel),
            air_segment(travel, flight_number="MU5101", cabin="J", departure_time=dt.time(18, 5),
                        departure_airport="上海虹桥", arrival_airport="北京首都"),
        ),
    )  # fmt: skip
    assert body["kind"] == "air"
    assert (body["train_number"], body["carriage"], body["seat"]) == (None, None, None)
    assert body["fare"] == "330.28"
    assert body["fuel_surcharge"] == "64.22"
    assert body["amount_excluding_tax"] == "394.50"
    assert body["tax_amount"] == "35.50"
    assert body["civil_aviation_fund"] == "50.00"
    assert body["other_taxes"] == "0.00"
    assert body["total_amount"] == "480.00"
    assert body["domestic"] is True
    assert (body["departure_station"], body["arrival_station"]) == ("北京首都", "上海虹桥")
    assert body["travel_date"] == travel.isoformat()
    assert body["segments"] == [
        {
            "carrier": "中国国际航空",
            "flight_number": "CA1831",
            "cabin": "Y",
            "cabin_class": "economy",
            "travel_date": travel.isoformat(),
            "departure_time": "08:30:00",
            "departure_airport": "北京首都",
            "arrival_airport": "上海虹桥",
        },
        {
            "carrier": "中国国际航空",
            "flight_number": "MU5101",
            "cabin": "J",
            "cabin_class": "business",
            "travel_date": travel.isoformat(),
            "departure_time": "18:05:00",
            "departure_airport": "上海虹桥",
            "arrival_airport": "北京首都",
        },
    ]
    again = client.get(f"{API}/invoices/{body['id']}", headers=org.h("employee")).json()
    assert again == body


def test_a_railway_invoice_keeps_its_fields_and_totals_its_fare(
    client: TestClient, session: Session
):
    org = make_org(session)
    body = upload(client, org.h("employee"), trip_spec(session, org))
    assert body["kind"] == "railway"
    assert body["total_amount"] == body["fare"] == "553.00"
    assert body["segments"] == []
    assert body["fuel_surcharge"] is None
    assert body["train_number"]


def test_a_flight_and_a_train_on_one_ticket_number_are_two_tickets(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    rail = upload(client, org.h("employee"), trip_spec(session, org))
    air = air_files.upload(client, session, org, e_ticket_number=rail["e_ticket_number"])
    assert air["e_ticket_number"] == rail["e_ticket_number"]
    assert "ticket-reissued" not in {w["code"] for w in air["warnings"]}
    assert "ticket-reissued" not in {
        w["code"]
        for w in client.get(f"{API}/invoices/{rail['id']}", headers=org.h("employee")).json()[
            "warnings"
        ]
    }


def test_two_itineraries_of_one_ticket_are_a_reissue(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    first = air_files.upload(client, session, org)
    second = air_files.upload(client, session, org, e_ticket_number=first["e_ticket_number"])
    assert "ticket-reissued" in {w["code"] for w in second["warnings"]}


def test_lists_filter_by_kind(client: TestClient, session: Session, air_files: AirFiles):
    org = make_org(session)
    rail = upload(client, org.h("employee"), trip_spec(session, org))
    air = air_files.upload(client, session, org)

    def ids(query: str) -> list[str]:
        response = client.get(f"{API}/invoices{query}", headers=org.h("employee"))
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    assert ids("?kind=air") == [air["id"]]
    assert ids("?kind=railway") == [rail["id"]]
    assert ids("") == [air["id"], rail["id"]]
    bad = client.get(f"{API}/invoices?kind=ship", headers=org.h("employee"))
    assert bad.status_code == 422


def test_a_zip_of_trains_and_flights_takes_in_each_with_its_kind(
    client: TestClient, session: Session
):
    """A mailbox ZIP mixing 12306 invoices and itineraries (PDF and OFD of each): one invoice
    per document, two renditions each, railway and air told apart by the parser."""
    org = make_org(session)
    buyer = {"buyer_name": org.entity.name, "buyer_tax_id": org.entity.uscc}
    [bundle] = generate_mixed_zips(18, 1, per_zip=4, **buyer)
    response = client.post(
        f"{API}/invoice-batches",
        files=[("files", (bundle.filename, bundle.data))],
        headers=org.h("finance"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    created = [r for r in body["results"] if r["outcome"] == "created"]
    added = [r for r in body["results"] if r["outcome"] == "rendition-added"]
    assert body["counts"]["rejected"] == 0
    assert len(created) == len(added) == len(bundle.specs)
    kinds = {r["invoice"]["invoice_number"]: r["invoice"]["kind"] for r in created}
    expected = {
        s.invoice_number: "air" if isinstance(s, AirInvoiceSpec) else "railway"
        for s in bundle.specs
    }
    assert kinds == expected
    flights = [r["invoice"] for r in created if r["invoice"]["kind"] == "air"]
    assert all(f["segments"] and f["total_amount"] for f in flights)


def test_two_arithmetic_problems_are_one_warning_naming_both(
    client: TestClient, session: Session, air_files: AirFiles
):
    """Warnings are kept once per code: the total and the tax both off make one `arithmetic`
    warning whose message names both, not the first alone."""
    org = make_org(session)
    body = air_files.upload(client, session, org, tax_amount=Decimal("45.50"))
    [warning] = [w for w in body["warnings"] if w["code"] == "arithmetic"]
    assert "total 480.00" in warning["message"]
    assert "tax 45.50" in warning["message"]
