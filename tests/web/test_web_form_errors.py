"""A wrong filter gives the same form back: the user's values kept, the reason beside the field
(archive export, vouchers and input-VAT periods, audit log dates), in either language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from tests.api.ledger_helpers import Office, make_office
from tests.web.helpers import HTML, login


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _field_error(page: str, message: str) -> bool:
    return '<small class="field-error"' in page and message in page


def test_archive_export_with_reversed_months_keeps_the_form(
    client: TestClient, session: Session, office: Office
):
    login(client, office.auditor)
    response = client.get("/audit/archive/export?from=2026-05&to=2026-03", headers=HTML)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="archive-form"' in response.text
    assert 'name="from" value="2026-05"' in response.text
    assert 'name="to" value="2026-03"' in response.text
    assert _field_error(response.text, "截止期间不能早于起始期间")
    session.commit()
    exported = session.exec(select(AuditEvent).where(AuditEvent.action == "archive.exported"))
    assert exported.all() == []  # refused before anything was exported


def test_archive_export_with_a_bad_month_in_english(client: TestClient, office: Office):
    login(client, office.auditor)
    response = client.get("/audit/archive/export?from=2026-13&to=2026-12&lang=en", headers=HTML)
    assert response.status_code == 422
    assert 'name="from" value="2026-13"' in response.text
    assert _field_error(response.text, "Enter a period as YYYY-MM")
    assert "Correct the marked fields." in response.text


def test_vouchers_and_input_vat_with_a_bad_period(client: TestClient, office: Office):
    login(client, office.finance)
    for path in ("/finance/vouchers", "/finance/input-vat"):
        response = client.get(f"{path}?period=2026-13", headers=HTML)
        assert response.status_code == 422, path
        assert 'name="period" value="2026-13"' in response.text, path
        assert _field_error(response.text, "请填写期间，格式 YYYY-MM"), path
    good = client.get("/finance/vouchers?period=2026-11", headers=HTML)
    assert good.status_code == 200
    assert "field-error" not in good.text


def test_audit_log_with_reversed_or_bad_dates(client: TestClient, office: Office):
    login(client, office.auditor)
    reversed_days = client.get("/audit/log?from=2026-11-20&to=2026-11-01&actor=wang", headers=HTML)
    assert reversed_days.status_code == 422
    assert 'id="audit-filters"' in reversed_days.text
    assert 'name="from" value="2026-11-20"' in reversed_days.text
    assert 'name="actor" value="wang"' in reversed_days.text
    assert _field_error(reversed_days.text, "结束日期不能早于开始日期")
    bad_day = client.get("/audit/log?from=2026-02-30", headers=HTML)
    assert bad_day.status_code == 422
    assert _field_error(bad_day.text, "请填写日期，格式 YYYY-MM-DD")
    fine = client.get("/audit/log?from=2026-11-01&to=2026-11-01", headers=HTML)
    assert fine.status_code == 200
    assert "field-error" not in fine.text


def test_claim_list_with_an_unknown_state_keeps_the_filter(client: TestClient, office: Office):
    login(client, office.finance)
    response = client.get("/claims?state=paidd", headers=HTML)
    assert response.status_code == 422
    assert 'name="state"' in response.text
    assert _field_error(response.text, "请从列表中选择")
    assert client.get("/claims?state=paid", headers=HTML).status_code == 200
