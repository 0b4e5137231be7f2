"""Flights in claims: 合计 reimbursed, cabins by the entity's letter table, passenger rules."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.air_support import AirFiles, air_segment, clean_flight
from tests.claims_support import (
    API,
    Org,
    act,
    clean_invoice,
    codes,
    create_claim,
    days_ago,
    draft,
    make_org,
    problem,
)


def set_policy(client: TestClient, org: Org, **fields: Any) -> dict[str, Any]:
    response = client.put(
        f"{API}/entities/{org.entity.id}/claim-policy", json=fields, headers=org.h("admin")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def cabin(letter: str, **kw: Any) -> dict[str, Any]:
    travel = days_ago(10)
    return {"travel_date": travel, "segments": (air_segment(travel, cabin=letter, **kw),)}


def test_a_claim_reimburses_the_total_of_a_flight_beside_a_train(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    train = clean_invoice(client, session, org)
    flight = clean_flight(client, session, org, air_files)
    claim = draft(client, org, train, flight)
    assert claim["total"] == "1033.00"  # 553.00 + 合计 480.00
    items = {i["invoice_id"]: i for i in claim["items"]}
    assert items[flight]["amount"] == "480.00"
    assert (items[flight]["travel_kind"], items[flight]["flight_number"]) == ("air", "CA1831")
    assert items[flight]["train_number"] is None
    assert items[train]["travel_kind"] == "railway"
    assert claim["findings"] == []
    submitted = act(client, org.h("employee"), claim["id"], "submit")
    assert submitted.status_code == 200, submitted.text


def test_a_cabin_above_the_grade_is_a_warning(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)  # the employee is grade 2
    business = clean_flight(client, session, org, air_files, **cabin("J"))
    first = clean_flight(client, session, org, air_files, **cabin("F", flight_number="MU5101"))
    claim = draft(client, org, business, first)
    found = [(f["code"], f["severity"], f["item_id"]) for f in claim["findings"]]
    assert found == [
        ("cabin-above-grade", "warn", claim["items"][0]["id"]),
        ("cabin-above-grade", "warn", claim["items"][1]["id"]),
    ]
    assert "grade 3" in claim["findings"][0]["message"]  # first_class_min_grade
    assert "grade 6" in claim["findings"][1]["message"]  # business_class_min_grade
    theirs = clean_flight(client, session, org, air_files, who="colleague", **cabin("C"))
    response = create_claim(client, org.h("colleague"), [{"invoice_id": theirs}])
    assert response.json()["findings"] == []  # grade 4 flies business


def test_the_letter_table_is_the_entitys_own(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    url = f"{API}/entities/{org.entity.id}/claim-policy"
    default = client.get(url, headers=org.h("employee")).json()["cabin_classes"]
    assert default == {"economy": "WYBMHKLNQTVXEGSUO", "business": "JCDIZR", "first": "FAP"}
    flight = clean_flight(client, session, org, air_files, **cabin("W"))
    set_policy(client, org, cabin_classes={"economy": "YB", "business": "W", "first": "F"})
    read = client.get(f"{API}/invoices/{flight}", headers=org.h("employee")).json()
    assert read["segments"][0]["cabin_class"] == "business"
    claim = draft(client, org, flight)
    assert codes(claim) == {"cabin-above-grade": "warn"}
    unknown = clean_flight(client, session, org, air_files, **cabin("K", flight_number="MU5101"))
    read = client.get(f"{API}/invoices/{unknown}", headers=org.h("employee")).json()
    assert read["segments"][0]["cabin_class"] is None
    twice = client.put(
        url, json={"cabin_classes": {"economy": "Y", "business": "Y"}}, headers=org.h("admin")
    )
    assert problem(twice, 422, "validation-error")["errors"]
    # A policy saved without a table puts the defaults back.
    assert set_policy(client, org)["cabin_classes"] == default


def test_the_passenger_rules_hold_for_flights(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    theirs = air_files.upload(client, session, org, who="colleague", uploader="employee")
    assert "passenger-not-uploader" in {w["code"] for w in theirs["warnings"]}
    claim = draft(client, org, theirs["id"])
    assert codes(claim)["passenger-not-claimant"] == "block"


def test_two_tickets_of_one_flight_are_near_duplicates(
    client: TestClient, session: Session, air_files: AirFiles
):
    org = make_org(session)
    one = clean_flight(client, session, org, air_files)
    two = clean_flight(client, session, org, air_files)
    claim = draft(client, org, one, two)
    assert codes(claim) == {"near-duplicate": "warn"}
