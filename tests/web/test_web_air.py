"""Flights on the pages: lists say 航班 and 合计, filter by kind, the detail shows each flight."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.air_support import AirFiles
from tests.api.ledger_helpers import approved_claim, make_office, upload_invoice
from tests.web.helpers import HTML, login, post_form


def test_my_invoices_show_flights_and_filter_by_kind(
    client: TestClient, session: Session, air_files: AirFiles
):
    office = make_office(session)
    train = upload_invoice(client, office, session)
    flight = air_files.upload(client, session, office)
    login(client, office.employee)
    page = client.get("/invoices", headers=HTML).text
    assert "车次/航班" in page
    assert 'data-label="航班"' in page
    assert "CA1831" in page
    assert "480.00" in page  # an itinerary's 合计, not its 票价
    assert "Y 经济舱" in page
    air_only = client.get("/invoices?kind=air", headers=HTML).text
    assert flight["invoice_number"] in air_only
    assert train["invoice_number"] not in air_only
    rail_only = client.get("/invoices?kind=railway", headers=HTML).text
    assert train["invoice_number"] in rail_only
    assert flight["invoice_number"] not in rail_only

    detail = client.get(f"/invoices/{flight['id']}", headers=HTML).text
    assert "民航发展基金" in detail
    assert "50.00" in detail
    assert "北京首都 → 上海虹桥" in detail
    english = client.get(f"/invoices/{flight['id']}?lang=en", headers=HTML)
    assert "Civil aviation fund" in english.text


def test_the_printed_claim_names_the_flight_and_its_total(
    client: TestClient, session: Session, air_files: AirFiles
):
    office = make_office(session)
    flight = air_files.upload(client, session, office)
    claim = approved_claim(client, office, [{"invoice_id": flight["id"]}])
    login(client, office.employee)
    sheet = client.get(f"/claims/{claim['id']}/print", headers=HTML).text
    assert "车次/航班" in sheet
    assert "CA1831" in sheet
    assert "480.00" in sheet
    detail = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert 'data-label="航班"' in detail


def test_a_paper_itinerary_is_registered_from_its_own_form(client: TestClient, session: Session):
    office = make_office(session)
    login(client, office.employee)
    form = {
        "kind": "air",
        "serial_number": "X20250920002",
        "e_ticket_number": "7841234567891",
        "travel_date": "2025-09-20",
        "flight_number": "mu5101",
        "departure_station": "上海虹桥",
        "arrival_station": "北京首都",
        "seat_class": "y",
        "fare": "700.00",
        "fuel_surcharge": "60.00",
        "civil_aviation_fund": "50.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }
    page = client.get("/paper-vouchers/new?kind=air", headers=HTML).text
    assert 'name="flight_number"' in page
    assert 'name="train_number"' not in page
    saved = post_form(client, "/paper-vouchers/new?kind=air", "/paper-vouchers/new", form)
    assert saved.status_code == 303, saved.text
    listed = client.get("/paper-vouchers", headers=HTML).text
    assert "MU5101" in listed
    assert "810.00" in listed  # 票价 + 燃油 + 基金
    late = {**form, "serial_number": "X20251001003", "travel_date": "2025-10-01"}
    refused = post_form(client, "/paper-vouchers/new?kind=air", "/paper-vouchers/new", late)
    assert refused.status_code == 422
    assert 'name="flight_number"' in refused.text  # the itinerary's form again
