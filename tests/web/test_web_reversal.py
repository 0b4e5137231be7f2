"""红字 reversal from a voucher's page: finance confirms with a reason, the page then names the
reversing voucher; refusals (unticked, twice, a reversal itself) come back in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    booked_voucher,
    make_office,
    upload_invoice,
    voucher,
)
from tests.web.helpers import HTML, login, post_form


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _booked(client: TestClient, session: Session, office: Office) -> dict[str, Any]:
    invoice = upload_invoice(client, office, session, fare=Decimal("553.00"))
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    return booked_voucher(client, office, claim["id"])


def test_finance_reverses_a_booked_voucher_and_sees_the_red_voucher_number(
    client: TestClient, session: Session, office: Office
):
    booking = _booked(client, session, office)
    url = f"/finance/vouchers/{booking['id']}"
    login(client, office.finance)
    page = client.get(url, headers=HTML).text
    assert f'action="{url}/reverse"' in page
    assert 'name="confirm" value="yes" required' in page
    reversed_ = post_form(
        client,
        url,
        f"{url}/reverse",
        {"reason": "发票作废", "reversal_date": "2026-11-28", "confirm": "yes"},
    )
    assert reversed_.status_code == 303
    assert reversed_.headers["location"] == f"{url}?done=reversed"
    vouchers = client.get(
        f"{API}/vouchers", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()["items"]
    red = next(v for v in vouchers if v["reverses_id"] == booking["id"])
    assert red["number"] == "记-2026-11-0002"
    assert red["total"] == "-553.00"
    assert all(line["memo"].endswith("发票作废") for line in red["lines"])
    after = client.get(reversed_.headers["location"], headers=HTML).text
    assert (
        f'已生成红字凭证 <a class="mono" href="/finance/vouchers/{red["id"]}">记-2026-11-0002</a>'
        in after
    )
    assert f'<dd class="reversed-by"><a class="mono" href="/finance/vouchers/{red["id"]}">' in after
    assert 'id="reverse-form"' not in after  # reversed once, never again
    red_page = client.get(f"/finance/vouchers/{red['id']}", headers=HTML).text
    assert f'href="{url}">{booking["number"]}</a>' in red_page
    assert 'id="reverse-form"' not in red_page


def test_an_unticked_confirmation_or_a_missing_reason_reverses_nothing(
    client: TestClient, session: Session, office: Office
):
    booking = _booked(client, session, office)
    url = f"/finance/vouchers/{booking['id']}"
    login(client, office.finance)
    unticked = post_form(client, url, f"{url}/reverse", {"reason": "发票作废"})
    assert unticked.status_code == 422
    assert "请先勾选确认框。" in unticked.text
    assert 'value="发票作废"' in unticked.text  # the reason typed stays
    no_reason = post_form(client, url, f"{url}/reverse", {"reason": "", "confirm": "yes"})
    assert no_reason.status_code == 422
    assert "填写的内容有误" in no_reason.text
    early = post_form(
        client,
        url,
        f"{url}/reverse",
        {"reason": "更正", "reversal_date": "2026-11-01", "confirm": "yes"},
    )
    assert early.status_code == 422  # before the voucher's own date
    vouchers = client.get(
        f"{API}/vouchers", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()["items"]
    assert [v["id"] for v in vouchers] == [booking["id"]]


def test_auditors_read_the_voucher_but_get_no_reversal_form(
    client: TestClient, session: Session, office: Office
):
    booking = _booked(client, session, office)
    url = f"/finance/vouchers/{booking['id']}"
    login(client, office.auditor)
    page = client.get(url, headers=HTML)
    assert page.status_code == 200
    assert 'id="reverse-form"' not in page.text
    assert booking["number"] in page.text
    assert voucher(client, office, str(booking["id"]))["number"] == booking["number"]


def test_a_reversal_into_a_closed_period_is_refused_in_words(
    client: TestClient, session: Session, office: Office
):
    booking = _booked(client, session, office)
    closed = client.post(f"{API}/periods/2026-12/close", headers=office.headers["finance"])
    assert closed.status_code == 200, closed.text
    url = f"/finance/vouchers/{booking['id']}"
    login(client, office.finance)
    refused = post_form(
        client,
        url,
        f"{url}/reverse",
        {"reason": "发票作废", "reversal_date": "2026-12-02", "confirm": "yes"},
    )
    assert refused.status_code == 409
    assert "会计期间已结账" in refused.text
    assert "已结账的期间不能再记账" in refused.text
    assert 'value="2026-12-02"' in refused.text  # the date typed stays, to pick another
    december = client.get(
        f"{API}/vouchers", params={"period": "2026-12"}, headers=office.headers["finance"]
    ).json()["items"]
    assert december == []
