"""Auditor pages: the archive export download (a BagIt zip), the 四性 report, the audit log
with filters, paging and the chain's verification; roles."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import (
    Office,
    approved_claim,
    booked_voucher,
    make_office,
    upload_invoice,
)
from tests.web.helpers import HTML, login


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def test_auditor_downloads_the_archive_as_a_bagit_zip(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    voucher = booked_voucher(client, office, claim["id"], "2026-11-20")
    login(client, office.auditor)
    page = client.get("/audit/archive", headers=HTML)
    assert page.status_code == 200
    assert 'action="/audit/archive/export"' in page.text
    response = client.get("/audit/archive/export?from=2026-11&to=2026-11")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    filename = f"archive-{office.entity.uscc}-2026-11-2026-11.zip"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.endswith("bagit.txt") for n in names)
    assert any(voucher["number"].split("-")[-1] in n for n in names)
    bad = client.get("/audit/archive/export?from=2026-12&to=2026-11", headers=HTML)
    assert bad.status_code == 422
    assert "截止期间不能早于起始期间" in bad.text
    assert 'action="/audit/archive/export"' in bad.text


def test_integrity_report_page(client: TestClient, office: Office):
    login(client, office.auditor)
    page = client.get("/audit/integrity", headers=HTML)
    assert page.status_code == 200
    assert 'id="integrity-result"' in page.text
    assert "通过" in page.text


def test_audit_log_filters_pages_and_verifies_the_chain(
    client: TestClient, session: Session, office: Office
):
    for _ in range(3):
        upload_invoice(client, office, session)
    login(client, office.auditor)
    page = client.get("/audit/log?object_type=invoice", headers=HTML)
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 3
    assert rows.count('<td data-label="对象">发票<br>') == 3
    verified = client.get("/audit/log?verify=1", headers=HTML)
    assert "审计链完整" in verified.text
    dated = client.get("/audit/log?from=2000-01-01&to=2000-01-02", headers=HTML)
    assert "没有符合条件的记录" in dated.text


def test_audit_log_pages_with_a_cursor(client: TestClient, session: Session, office: Office):
    for _ in range(2):
        upload_invoice(client, office, session)
    login(client, office.admin)
    first = client.get("/audit/log", headers=HTML)
    assert first.status_code == 200
    # Fewer than a page here: no next link, and a forged cursor is refused in words.
    assert 'rel="next"' not in first.text
    forged = client.get("/audit/log?cursor=bm9wZQ", headers=HTML)
    assert forged.status_code == 422


def test_audit_pages_by_role(client: TestClient, office: Office):
    login(client, office.employee)
    for path in ("/audit/archive", "/audit/integrity", "/audit/log"):
        assert client.get(path, headers=HTML).status_code == 403
    client.cookies.clear()
    login(client, office.finance)
    assert client.get("/audit/archive", headers=HTML).status_code == 200
    assert client.get("/audit/log", headers=HTML).status_code == 403


def test_an_auditor_never_reads_another_entitys_events(client: TestClient, session: Session):
    # The attack: an auditor of B opened /audit/log?entity=<A> and read A's staff events, which
    # the API already refused. Staff events (users, logins, tokens) now carry their entity.
    office_a, office_b = make_office(session), make_office(session)
    invoice = upload_invoice(client, office_a, session)
    staff = {
        "username": "a-staff-7f3",
        "display_name": "甲公司员工",
        "password": "a-staff-password-2026",
        "roles": ["employee"],
        "entity_ids": [str(office_a.entity.id)],
    }
    created = client.post("/api/v1/users", json=staff, headers=office_a.headers["admin"])
    assert created.status_code == 201, created.text
    login_form = {"username": staff["username"], "password": staff["password"]}
    assert client.post("/api/v1/auth/token", data=login_form).status_code == 200

    login(client, office_b.auditor)
    for query in (f"?entity={office_a.entity.id}", ""):
        page = client.get(f"/audit/log{query}", headers=HTML)
        assert page.status_code == 200
        assert staff["username"] not in page.text
        assert invoice["invoice_number"] not in page.text
    # The same reader of A sees both.
    login(client, office_a.auditor)
    page = client.get(f"/audit/log?entity={office_a.entity.id}", headers=HTML).text
    assert staff["username"] in page
    assert invoice["invoice_number"] in page
