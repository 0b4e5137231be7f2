"""Owners of uploaded invoices, reading them within sight, their original files and 用途确认."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import User
from app.auth.tokens import mint_token
from app.entities.models import LegalEntity
from railclaim_devkit.synthetic import (
    InvoiceSpec,
    PdfVariant,
    red_letter_of,
    render_pdf,
    render_xbrl,
)
from railclaim_devkit.synthetic.values import STATIONS
from tests.api.test_invoice_upload import upload
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user

Headers = dict[str, str]


@dataclasses.dataclass
class Company:
    entity: LegalEntity
    employee: User
    employee_headers: Headers
    finance: User
    finance_headers: Headers


@pytest.fixture
def company(session: Session) -> Company:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    finance = make_user(session, "finance", entity=entity)
    return Company(entity, employee, bearer(session, employee), finance, bearer(session, finance))


def api_token(session: Session, user: User) -> Headers:
    session.commit()
    _row, plaintext = mint_token(session, user=user, kind="api", name="erp", lifetime=None)
    session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def created(client: TestClient, headers: Headers, spec: InvoiceSpec, **form: str) -> dict[str, Any]:
    response = upload(client, headers, f"{spec.invoice_number}.pdf", render_pdf(spec), **form)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def listed(client: TestClient, headers: Headers, **params: object) -> list[str]:
    response = client.get("/api/v1/invoices", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk_pages(client: TestClient, headers: Headers, **params: object) -> tuple[list[str], int]:
    """Every id of a list, page by page along `next_cursor` (at most 10 pages), and the pages."""
    seen: list[str] = []
    cursor: str | None = None
    for pages in range(1, 11):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/invoices", params=query, headers=headers).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages
    raise AssertionError("more than 10 pages: the cursor does not advance")


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    return body


# --- owners ---------------------------------------------------------------------------------


def test_finance_upload_is_owned_by_the_passengers_employee(
    client: TestClient, session: Session, company: Company
) -> None:
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    body = created(client, company.finance_headers, spec)
    assert body["owner"] == str(company.employee.id)
    assert body["uploaded_by"] == str(company.finance.id)
    assert "passenger-not-uploader" not in [w["code"] for w in body["warnings"]]
    assert body["id"] in listed(client, company.employee_headers)


def test_a_system_token_upload_is_owned_by_the_passengers_employee(
    client: TestClient, session: Session, company: Company
) -> None:
    erp = make_user(session, "employee", entity=company.entity, is_service=True)
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    body = created(client, api_token(session, erp), spec)
    assert body["owner"] == str(company.employee.id)
    assert body["uploaded_by"] == str(erp.id)


def test_an_explicit_owner_is_honoured(
    client: TestClient, session: Session, company: Company
) -> None:
    colleague = make_employee(session, company.entity, name="王五", last4="5555")
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    body = created(client, company.finance_headers, spec, owner=str(colleague.id))
    assert body["owner"] == str(colleague.id)


def test_an_owner_outside_the_invoices_entity_is_a_422(
    client: TestClient, session: Session, company: Company
) -> None:
    elsewhere = make_employee(session, make_entity(session), name="赵六", last4="6666")
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    response = upload(
        client, company.finance_headers, "o.pdf", render_pdf(spec), owner=str(elsewhere.id)
    )
    body = assert_problem(response, 422, "validation-error")
    assert [e["field"] for e in body["errors"]] == ["owner"]
    malformed = upload(client, company.finance_headers, "o.pdf", render_pdf(spec), owner="x")
    assert assert_problem(malformed, 422, "validation-error")["errors"][0]["field"] == "owner"
    assert listed(client, company.finance_headers) == []


def test_no_matching_passenger_leaves_the_invoice_unassigned(
    client: TestClient, session: Session, company: Company
) -> None:
    stranger = invoice_spec(
        company.entity, passenger_name="钱七", passenger_id_masked="1101011990****7777"
    )
    mine = invoice_spec(company.entity, passenger=company.employee, session=session)
    unassigned, assigned = (
        created(client, company.finance_headers, stranger),
        created(client, company.finance_headers, mine),
    )
    assert unassigned["owner"] is None
    assert listed(client, company.finance_headers, owner="none") == [unassigned["id"]]
    assert listed(client, company.finance_headers, owner=str(company.employee.id)) == [
        assigned["id"]
    ]
    assert listed(client, company.employee_headers) == [assigned["id"]]
    assert_problem(
        client.get(f"/api/v1/invoices/{unassigned['id']}", headers=company.employee_headers),
        404,
        "not-found",
    )
    bad = client.get(
        "/api/v1/invoices", params={"owner": "nobody"}, headers=company.finance_headers
    )
    assert assert_problem(bad, 422, "validation-error")["errors"][0]["field"] == "owner"


def test_two_matching_profiles_leave_the_invoice_unassigned(
    client: TestClient, session: Session, company: Company
) -> None:
    make_employee(session, company.entity)  # a namesake with the same ID last 4
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    assert created(client, company.finance_headers, spec)["owner"] is None


def test_employees_cannot_file_invoices_for_someone_else(
    client: TestClient, session: Session, company: Company
) -> None:
    colleague = make_employee(session, company.entity, name="王五", last4="5555")
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    response = upload(
        client, company.employee_headers, "e.pdf", render_pdf(spec), owner=str(colleague.id)
    )
    assert_problem(response, 403, "forbidden")
    own = created(client, company.employee_headers, spec, owner=str(company.employee.id))
    assert own["owner"] == str(company.employee.id)


# --- lists and filters ----------------------------------------------------------------------


def test_filters_status_travel_dates_and_text(
    client: TestClient, session: Session, company: Company
) -> None:
    headers = company.employee_headers

    def spec(travel: dt.date, train: str, stations: tuple[int, int]) -> InvoiceSpec:
        departure, arrival = (STATIONS[i] for i in stations)
        return invoice_spec(
            company.entity,
            passenger=company.employee,
            session=session,
            travel_date=travel,
            train_number=train,
            departure_station=departure.name,
            departure_pinyin=departure.pinyin,
            arrival_station=arrival.name,
            arrival_pinyin=arrival.pinyin,
        )

    march = spec(dt.date(2025, 3, 15), "G7101", (5, 7))
    april = spec(dt.date(2025, 4, 10), "D2202", (8, 9))
    may = spec(dt.date(2025, 5, 5), "K3303", (10, 12))
    ids = {s.train_number: created(client, headers, s)["id"] for s in (march, april, may)}
    red = created(client, headers, red_letter_of(may, random.Random(1)))

    assert set(listed(client, headers, status="void")) == {ids["K3303"], red["id"]}
    assert set(listed(client, headers, status="available")) == {ids["G7101"], ids["D2202"]}
    window = listed(client, headers, travel_date_from="2025-04-01", travel_date_to="2025-04-30")
    assert window == [ids["D2202"]]
    assert set(listed(client, headers, travel_date_from="2025-04-10")) == {
        ids["D2202"],
        ids["K3303"],
        red["id"],
    }
    assert listed(client, headers, travel_date_to="2025-03-15") == [ids["G7101"]]
    assert listed(client, headers, q="G7101") == [ids["G7101"]]
    assert listed(client, headers, q="g71") == [ids["G7101"]]
    assert listed(client, headers, q=april.invoice_number[-9:]) == [ids["D2202"]]
    assert listed(client, headers, q=march.arrival_station) == [ids["G7101"]]
    assert listed(client, headers, q=april.departure_station) == [ids["D2202"]]
    assert listed(client, headers, q="%") == []
    assert listed(client, headers, q="_") == []
    assert listed(client, headers, q="/") == []
    # A match never spans two fields (train and station here).
    assert listed(client, headers, q=f"G7101{march.departure_station}") == []
    assert listed(client, headers, q=f"7101 {march.departure_station}") == []
    bad = client.get("/api/v1/invoices", params={"status": "lost"}, headers=headers)
    assert assert_problem(bad, 422, "validation-error")["errors"][0]["field"] == "status"
    bad_date = client.get("/api/v1/invoices", params={"travel_date_from": "May"}, headers=headers)
    assert assert_problem(bad_date, 422, "validation-error")["errors"][0]["field"] == (
        "travel_date_from"
    )


def test_cursor_pagination_walks_every_invoice_once_newest_first(
    client: TestClient, session: Session, company: Company
) -> None:
    headers = company.employee_headers
    uploaded = [
        created(
            client,
            headers,
            invoice_spec(company.entity, passenger=company.employee, session=session),
        )["id"]
        for _ in range(5)
    ]
    seen, pages = walk_pages(client, headers, limit=2)
    assert pages == 3
    assert seen == list(reversed(uploaded))
    bad = client.get("/api/v1/invoices", params={"cursor": "not-a-cursor"}, headers=headers)
    assert assert_problem(bad, 422, "validation-error")["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("limit", [0, -1, 201])
def test_limit_out_of_bounds_is_a_422(client: TestClient, company: Company, limit: int) -> None:
    response = client.get(
        "/api/v1/invoices", params={"limit": limit}, headers=company.employee_headers
    )
    assert assert_problem(response, 422, "validation-error")["errors"][0]["field"] == "limit"


def test_limit_200_is_allowed(client: TestClient, company: Company) -> None:
    response = client.get(
        "/api/v1/invoices", params={"limit": 200}, headers=company.employee_headers
    )
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


# --- visibility -----------------------------------------------------------------------------


def test_an_approver_sees_the_invoices_of_their_reports_only(
    client: TestClient, session: Session, company: Company
) -> None:
    approver = make_user(session, "employee", "approver", entity=company.entity)
    report = make_employee(session, company.entity, name="孙八", last4="8888", manager=approver)
    theirs = created(
        client,
        bearer(session, report),
        invoice_spec(company.entity, passenger=report, session=session),
    )
    not_theirs = created(
        client,
        company.employee_headers,
        invoice_spec(company.entity, passenger=company.employee, session=session),
    )
    headers = bearer(session, approver)
    assert listed(client, headers) == [theirs["id"]]
    assert client.get(f"/api/v1/invoices/{theirs['id']}", headers=headers).status_code == 200
    pdf = client.get(f"/api/v1/invoices/{theirs['id']}/files/pdf", headers=headers)
    assert pdf.status_code == 200
    assert_problem(
        client.get(f"/api/v1/invoices/{not_theirs['id']}", headers=headers), 404, "not-found"
    )


def test_finance_sees_its_entities_and_admins_see_all(
    client: TestClient, session: Session, company: Company
) -> None:
    other = make_entity(session)
    outsider = make_employee(session, other, name="周九", last4="9999")
    foreign = created(
        client,
        bearer(session, outsider),
        invoice_spec(other, passenger=outsider, session=session),
    )
    own = created(
        client,
        company.employee_headers,
        invoice_spec(company.entity, passenger=company.employee, session=session),
    )
    assert listed(client, company.finance_headers) == [own["id"]]
    assert_problem(
        client.get(f"/api/v1/invoices/{foreign['id']}", headers=company.finance_headers),
        404,
        "not-found",
    )
    admin = make_user(session, "admin")
    admin_headers = bearer(session, admin)
    assert listed(client, admin_headers) == [own["id"], foreign["id"]]
    assert client.get(f"/api/v1/invoices/{foreign['id']}", headers=admin_headers).status_code == 200


def test_an_unknown_invoice_is_a_404_problem(client: TestClient, company: Company) -> None:
    response = client.get(
        "/api/v1/invoices/00000000-0000-4000-8000-000000000000",
        headers=company.finance_headers,
    )
    assert_problem(response, 404, "not-found")


# --- original files -------------------------------------------------------------------------


def test_downloads_are_the_exact_bytes_with_their_sha256_as_etag(
    client: TestClient, session: Session, company: Company
) -> None:
    headers = company.employee_headers
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    pdf = render_pdf(spec)
    invoice = created(client, headers, spec)
    url = f"/api/v1/invoices/{invoice['id']}/files/pdf"
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    digest = hashlib.sha256(response.content).hexdigest()
    assert digest == invoice["sha256"] == invoice["renditions"][0]["sha256"]
    assert response.headers["etag"] == f'"{digest}"'
    assert f"{spec.invoice_number}.pdf" in response.headers["content-disposition"]

    cached = client.get(url, headers={**headers, "If-None-Match": f'"{digest}"'})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == f'"{digest}"'
    listed_etags = f'"{"0" * 64}", W/"{digest}"'
    assert client.get(url, headers={**headers, "If-None-Match": listed_etags}).status_code == 304
    assert client.get(url, headers={**headers, "If-None-Match": "*"}).status_code == 304
    stale = client.get(url, headers={**headers, "If-None-Match": f'"{"0" * 64}"'})
    assert stale.status_code == 200
    assert stale.content == pdf


def test_the_xml_rendition_falls_back_to_the_xbrl_embedded_in_the_pdf(
    client: TestClient, session: Session, company: Company
) -> None:
    headers = company.employee_headers
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    invoice = created(client, headers, spec)
    response = client.get(f"/api/v1/invoices/{invoice['id']}/files/xml", headers=headers)
    assert response.status_code == 200
    assert response.content == render_xbrl(spec)
    assert response.headers["content-type"] == "application/xml"
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'


def test_a_missing_rendition_is_a_404_problem(
    client: TestClient, session: Session, company: Company
) -> None:
    headers = company.employee_headers
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    response = upload(client, headers, "t.pdf", render_pdf(spec, PdfVariant(with_xbrl=False)))
    assert response.status_code == 201, response.text
    invoice_id = response.json()["id"]
    for kind in ("ofd", "xml"):
        missing = client.get(f"/api/v1/invoices/{invoice_id}/files/{kind}", headers=headers)
        assert_problem(missing, 404, "not-found")
    unknown = client.get(f"/api/v1/invoices/{invoice_id}/files/docx", headers=headers)
    assert assert_problem(unknown, 422, "validation-error")["errors"][0]["field"] == "rendition"


# --- 用途确认 -------------------------------------------------------------------------------


def confirm(client: TestClient, headers: Headers, invoice_id: str, on: object) -> Any:
    return client.post(
        f"/api/v1/invoices/{invoice_id}/deduction-confirmation",
        json={"confirmed_on": on},
        headers=headers,
    )


def test_finance_records_the_deduction_confirmation(
    client: TestClient, session: Session, company: Company
) -> None:
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    invoice = created(client, company.employee_headers, spec)
    assert invoice["deduction_confirmed_on"] is None
    response = confirm(client, company.finance_headers, invoice["id"], "2025-06-30")
    assert response.status_code == 200, response.text
    assert response.json()["id"] == invoice["id"]
    assert response.json()["deduction_confirmed_on"] == "2025-06-30"
    again = client.get(f"/api/v1/invoices/{invoice['id']}", headers=company.employee_headers)
    assert again.json()["deduction_confirmed_on"] == "2025-06-30"


def test_deduction_confirmation_refusals(
    client: TestClient, session: Session, company: Company
) -> None:
    spec = invoice_spec(company.entity, passenger=company.employee, session=session)
    invoice = created(client, company.employee_headers, spec)
    by_employee = confirm(client, company.employee_headers, invoice["id"], "2025-06-30")
    assert_problem(by_employee, 403, "forbidden")
    for bad in ("2025-02-30", "soon", None):
        response = confirm(client, company.finance_headers, invoice["id"], bad)
        body = assert_problem(response, 422, "validation-error")
        assert [e["field"] for e in body["errors"]] == ["confirmed_on"]
    elsewhere = make_user(session, "finance", entity=make_entity(session))
    hidden = confirm(client, bearer(session, elsewhere), invoice["id"], "2025-06-30")
    assert_problem(hidden, 404, "not-found")
    created(client, company.employee_headers, red_letter_of(spec, random.Random(9)))
    void = confirm(client, company.finance_headers, invoice["id"], "2025-06-30")
    assert assert_problem(void, 409, "invalid-state")["invoice_status"] == "void"
    after = client.get(f"/api/v1/invoices/{invoice['id']}", headers=company.finance_headers)
    assert after.json()["deduction_confirmed_on"] is None


def test_a_travel_window_pages_newest_first_within_the_callers_sight(
    client: TestClient, session: Session, company: Company
) -> None:
    # A travel-date filter takes its own query path (the window's keys first, then a page).
    in_window = dt.date(2025, 6, 3)
    outside = dt.date(2025, 7, 3)
    dates = [in_window, outside, in_window, in_window, outside, in_window, in_window]
    uploaded = [
        (
            created(
                client,
                company.employee_headers,
                invoice_spec(
                    company.entity, passenger=company.employee, session=session, travel_date=day
                ),
            )["id"],
            day,
        )
        for day in dates
    ]
    other = make_entity(session)
    outsider = make_employee(session, other, name="周九", last4="9999")
    created(
        client,
        bearer(session, outsider),
        invoice_spec(other, passenger=outsider, session=session, travel_date=in_window),
    )
    expected = [i for i, day in reversed(uploaded) if day == in_window]
    window = {"travel_date_from": "2025-06-01", "travel_date_to": "2025-06-07"}
    for headers in (company.employee_headers, company.finance_headers):
        seen, _pages = walk_pages(client, headers, limit=2, **window)
        assert seen == expected
    assert listed(client, company.finance_headers, status="void", **window) == []
