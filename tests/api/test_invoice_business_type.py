"""`business-type-unclear` blocks claims until finance sets the business type (issue 14.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from railclaim_devkit.synthetic import FaceStyle, InvoiceSpec
from railclaim_devkit.synthetic.real_variants import RealVariant, render_real
from tests.claims_support import API, Org, act, codes, draft, make_org, problem, trip_spec, verify

# A refund-fee face printing its amount as 票价 while marked 退票: the face contradicts itself.
CONTRADICTING_FACE = RealVariant(face=FaceStyle(fee_labels=False))


def _unclear_refund(session: Session, org: Org) -> InvoiceSpec:
    return trip_spec(
        session, org, business_type="refund", face_marker="退票", fare=Decimal("27.50")
    )


def _upload(client: TestClient, org: Org, spec: InvoiceSpec) -> dict[str, Any]:
    data = render_real(spec, CONTRADICTING_FACE, "pdf", with_xbrl=False)
    response = client.post(
        f"{API}/invoices",
        files={"file": (f"{spec.invoice_number}.pdf", data)},
        headers=org.h("employee"),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _set_type(client: TestClient, org: Org, who: str, invoice_id: str, business_type: str) -> Any:
    return client.post(
        f"{API}/invoices/{invoice_id}/business-type",
        json={"business_type": business_type, "comment": "退票费 per the 12306 order"},
        headers=org.h(who),
    )


def test_unclear_business_type_blocks_the_claim_until_finance_sets_it(
    client: TestClient, session: Session
) -> None:
    org = make_org(session)
    invoice = _upload(client, org, _unclear_refund(session, org))
    assert "business-type-unclear" in [w["code"] for w in invoice["warnings"]]
    verify(session, invoice["id"])
    claim = draft(client, org, invoice["id"])
    assert codes(claim)["business-type-unclear"] == "block"
    refused = problem(
        act(client, org.h("employee"), claim["id"], "submit"), 409, "blocking-findings"
    )
    assert "business-type-unclear" in [f["code"] for f in refused["findings"]]

    assert _set_type(client, org, "employee", invoice["id"], "refund").status_code == 403
    response = _set_type(client, org, "finance", invoice["id"], "refund")
    assert response.status_code == 200, response.text
    settled = response.json()
    assert settled["business_type"] == "refund"
    assert "business-type-unclear" not in [w["code"] for w in settled["warnings"]]
    assert "sale-unknown" in [w["code"] for w in settled["warnings"]]  # a fee now: its sale?

    again = client.get(f"{API}/claims/{claim['id']}", headers=org.h("employee")).json()
    assert "business-type-unclear" not in codes(again)
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "invoice.business-type-set")
    ).one()
    assert event.details["previous"] == "sale"
    assert event.details["business_type"] == "refund"


def test_only_a_flagged_invoice_takes_a_business_type(client: TestClient, session: Session) -> None:
    org = make_org(session)
    invoice = _upload(client, org, _unclear_refund(session, org))
    assert _set_type(client, org, "finance", invoice["id"], "refund").status_code == 200
    problem(_set_type(client, org, "finance", invoice["id"], "sale"), 409, "invalid-state")
    unknown = _set_type(client, org, "finance", invoice["id"], "gift")
    assert unknown.status_code == 422
