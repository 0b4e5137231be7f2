"""Pages per role, upload rows, invoice detail, paper vouchers, finance intake and admin."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from railclaim_devkit.synthetic import render_pdf
from tests.factories import invoice_spec, make_employee, make_entity, make_user
from tests.web.helpers import HTML, csrf_of, login, post_form

EMPLOYEE_PAGES = ["/", "/invoices", "/invoices/upload", "/paper-vouchers", "/paper-vouchers/new"]
FINANCE_PAGES = ["/finance/unassigned", "/finance/paper-originals"]
ADMIN_PAGES = ["/admin/users", "/admin/entities"]


@pytest.fixture
def world(session: Session):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    finance = make_user(session, "finance", entity=entity)
    admin = make_user(session, "admin", entity=entity)
    return entity, employee, finance, admin


def upload(client: TestClient, name: str, data: bytes):
    token = csrf_of(client.get("/invoices/upload", headers=HTML))
    return client.post(
        "/web/invoices/upload", files={"file": (name, data)}, headers={"X-CSRF-Token": token}
    )


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("employee", [*EMPLOYEE_PAGES, "/tokens"], FINANCE_PAGES + ADMIN_PAGES),
        ("finance", EMPLOYEE_PAGES + FINANCE_PAGES, ADMIN_PAGES),
        ("admin", EMPLOYEE_PAGES + ADMIN_PAGES + ["/tokens"], FINANCE_PAGES),
    ],
)
def test_pages_render_for_each_role(
    client: TestClient, world, role: str, allowed: list[str], refused: list[str]
):
    _entity, employee, finance, admin = world
    login(client, {"employee": employee, "finance": finance, "admin": admin}[role])
    for path in allowed:
        page = client.get(path, headers=HTML)
        assert page.status_code == 200, (path, page.text[:500])
        assert page.headers["cache-control"] == "no-store"
    for path in refused:
        page = client.get(path, headers=HTML)
        assert page.status_code == 403, path
        assert "没有权限" in page.text


def test_upload_returns_rows_for_good_duplicate_and_junk(client: TestClient, session, world):
    entity, employee, _finance, _admin = world
    login(client, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    pdf = render_pdf(spec)

    good = upload(client, "ticket.pdf", pdf)
    assert good.status_code == 200, good.text
    [row] = good.json()["rows"]
    assert row["outcome"] == "created"
    assert row["outcome_label"] == "已上传"
    invoice = row["invoice"]
    assert invoice["train_number"] == spec.train_number
    assert invoice["route"] == f"{spec.departure_station} → {spec.arrival_station}"
    assert invoice["travel_date"] == spec.travel_date.isoformat()
    assert invoice["fare"] == f"¥{spec.fare:,.2f}"
    assert invoice["status_label"] == "可报销"

    again = upload(client, "again.pdf", pdf).json()["rows"][0]
    assert again["outcome"] == "duplicate"
    assert again["problem"]["title"] == "这张发票已经上传过"
    assert again["problem"]["existing_url"] == invoice["url"]

    junk = upload(client, "notes.pdf", b"this is not a pdf at all").json()["rows"][0]
    assert junk["outcome"] == "rejected"
    assert junk["invoice"] is None
    assert junk["problem"]["title"]
    assert junk["problem"]["hint"]


def test_upload_rows_speak_english_when_asked(client: TestClient, session, world):
    entity, employee, _finance, _admin = world
    login(client, employee)
    client.get("/?lang=en", headers=HTML)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    row = upload(client, "t.pdf", pdf).json()["rows"][0]
    assert row["outcome_label"] == "Uploaded"
    assert row["invoice"]["status_label"] == "Available"


def test_invoice_detail_previews_and_downloads_the_original(client: TestClient, session, world):
    entity, employee, _finance, _admin = world
    login(client, employee)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    url = upload(client, "t.pdf", pdf).json()["rows"][0]["invoice"]["url"]
    detail = client.get(url, headers=HTML)
    assert detail.status_code == 200
    assert f'<iframe class="pdf" src="{url}/files/pdf?inline=1#' in detail.text
    preview = client.get(f"{url}/files/pdf?inline=1")
    assert preview.content == pdf
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline;")
    download = client.get(f"{url}/files/pdf")
    assert download.headers["content-disposition"].startswith("attachment;")


def test_another_employees_invoice_is_a_404_page(client: TestClient, session, world):
    entity, employee, _finance, _admin = world
    login(client, employee)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    url = upload(client, "t.pdf", pdf).json()["rows"][0]["invoice"]["url"]
    client.cookies.clear()
    login(client, make_employee(session, entity, name="李四", last4="4321"))
    assert client.get(url, headers=HTML).status_code == 404
    assert client.get(f"{url}/files/pdf").status_code == 404


def _voucher_form(travel_date: dt.date, serial: str = "A12345678") -> dict[str, str]:
    return {
        "serial_number": serial,
        "e_ticket_number": "E1234567890123",
        "travel_date": travel_date.isoformat(),
        "train_number": "G101",
        "departure_station": "北京南站",
        "arrival_station": "上海虹桥",
        "seat_class": "二等座",
        "fare": "553.00",
        "passenger_name": "张三",
        "passenger_id_masked": "110101********1234",
    }


def test_paper_voucher_after_the_transition_is_refused_in_words(client: TestClient, world):
    _entity, employee, _finance, _admin = world
    login(client, employee)
    page = client.get("/paper-vouchers/new", headers=HTML)
    assert "2025-09-30" in page.text
    response = post_form(
        client, "/paper-vouchers/new", "/paper-vouchers/new", _voucher_form(dt.date(2025, 10, 1))
    )
    assert response.status_code == 422
    assert "纸质报销凭证已于 2025-09-30 停用" in response.text
    assert 'value="G101"' in response.text  # the clerk's input is kept


def test_paper_voucher_field_errors_are_marked(client: TestClient, world):
    _entity, employee, _finance, _admin = world
    login(client, employee)
    form = {**_voucher_form(dt.date(2025, 9, 1)), "fare": "lots"}
    response = post_form(client, "/paper-vouchers/new", "/paper-vouchers/new", form)
    assert response.status_code == 422
    assert 'class="field invalid"' in response.text


def test_paper_voucher_registered_then_received_by_finance(client: TestClient, world):
    _entity, employee, finance, _admin = world
    login(client, employee)
    response = post_form(
        client, "/paper-vouchers/new", "/paper-vouchers/new", _voucher_form(dt.date(2025, 9, 1))
    )
    assert response.status_code == 303, response.text
    assert "A12345678" in client.get("/paper-vouchers", headers=HTML).text
    client.cookies.clear()
    login(client, finance)
    page = client.get("/finance/paper-originals", headers=HTML)
    assert "A12345678" in page.text
    action = page.text.split('action="/paper-vouchers/')[1].split('"')[0]
    received = client.post(
        f"/paper-vouchers/{action}",
        data={"received_on": "2025-10-08", "location": "档案柜A-3", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert received.status_code == 303
    assert "A12345678" not in client.get("/finance/paper-originals", headers=HTML).text


def test_finance_sees_unassigned_and_records_deduction(client: TestClient, session, world):
    entity, _employee, finance, _admin = world
    login(client, finance)
    stranger = invoice_spec(entity, passenger_name="王五", passenger_id_masked="110101****9999")
    row = upload(client, "s.pdf", render_pdf(stranger)).json()["rows"][0]
    assert row["outcome"] == "created"
    assert stranger.invoice_number in client.get("/finance/unassigned", headers=HTML).text
    url = row["invoice"]["url"]
    response = post_form(
        client, url, f"{url}/deduction-confirmation", {"confirmed_on": "2026-11-20"}
    )
    assert response.status_code == 303
    assert "2026-11-20" in client.get(url, headers=HTML).text


def test_admin_creates_entity_user_and_a_token_shown_once(client: TestClient, world):
    _entity, _employee, _finance, admin = world
    login(client, admin)
    bad = post_form(client, "/admin/entities", "/admin/entities", {"name": "坏公司", "uscc": "123"})
    assert bad.status_code == 422
    user = post_form(
        client,
        "/admin/users",
        "/admin/users",
        {
            "username": "wangwu",
            "display_name": "王五",
            "password": "a long enough password",
            "roles": "employee",
            "passenger_name": "王五",
            "id_last4": "9999",
        },
    )
    assert user.status_code == 303, user.text
    assert "wangwu" in client.get("/admin/users", headers=HTML).text
    created = post_form(client, "/tokens", "/tokens", {"name": "ERP 对接"})
    assert created.status_code == 200
    token = created.text.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("rc_")
    listing = client.get("/tokens", headers=HTML).text
    assert "ERP 对接" in listing
    assert token not in listing
