"""Reassigning approvals: an admin sees the claims waiting for a deactivated approver and hands
each to another approver of the entity; the claim service's refusals shown beside the claim."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.claims.models import Claim, ClaimHistory
from tests.claims_support import make_org, submitted
from tests.web.helpers import HTML, login, post_form

PAGE = "/admin/reassign"


def test_admin_hands_a_waiting_claim_to_another_approver(client: TestClient, session: Session):
    org = make_org(session)
    claim = submitted(client, session, org)
    assert claim["awaiting_approver"] == str(org.manager.id)
    login(client, org.admin)
    confirm = client.get(f"/admin/users/{org.manager.id}/deactivate", headers=HTML)
    assert "有 1 份已提交的报销单在等该用户审批" in confirm.text
    off = client.patch(
        f"/api/v1/users/{org.manager.id}", json={"active": False}, headers=org.h("admin")
    )
    assert off.status_code == 200, off.text
    page = client.get(PAGE, headers=HTML)
    assert page.status_code == 200
    assert f'id="claim-{claim["id"]}"' in page.text
    action = f"{PAGE}/{claim['id']}"
    # The claimant is no approver of the entity: refused in words, nothing changed.
    refused = post_form(client, PAGE, action, {"approver_id": str(org.employee.id)})
    assert refused.status_code == 422
    assert "须是该报销单所属法人实体的在职审批人" in refused.text
    done = post_form(client, PAGE, action, {"approver_id": str(org.director.id)})
    assert done.status_code == 303, done.text
    session.commit()
    stored = session.get(Claim, uuid.UUID(claim["id"]), populate_existing=True)
    assert stored is not None
    assert stored.awaiting_approver_id == org.director.id
    history = session.exec(
        select(ClaimHistory.action).where(ClaimHistory.claim_id == stored.id)
    ).all()
    assert "reassigned" in history
    after = client.get(done.headers["location"], headers=HTML).text
    assert "已改派" in after
    assert f'id="claim-{claim["id"]}"' not in after  # no longer waiting for anyone inactive


def test_reassign_page_is_for_admins(client: TestClient, session: Session):
    org = make_org(session)
    login(client, org.finance)
    assert client.get(PAGE, headers=HTML).status_code == 403
