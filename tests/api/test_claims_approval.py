"""Approval routing: levels and threshold, fallback and no-approver, self-approval, substitutes,
`awaiting=me`, acknowledgement of warnings and blocking findings found at approval time."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlmodel import Session, col

from app.auth.models import EmployeeProfile, User, UserEntity
from app.kit.dates import business_today
from railclaim_devkit.synthetic import red_letter_of
from tests.claims_support import (
    API,
    Org,
    act,
    clean_invoice,
    draft,
    make_org,
    problem,
    submitted,
    trip_spec,
    upload,
)
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user


def set_policy(client: TestClient, org: Org, **fields: Any) -> dict[str, Any]:
    response = client.put(
        f"{API}/entities/{org.entity.id}/claim-policy", json=fields, headers=org.h("admin")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def awaiting(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get(f"{API}/claims", params={"awaiting": "me"}, headers=headers)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def make_approver(session: Session, user: User) -> None:
    """Substitutes are approvers (SPEC "Hardening rules"): the colleague becomes one."""
    session.execute(
        update(User).where(col(User.id) == user.id).values(roles=["employee", "approver"])
    )
    session.commit()


def substitute(
    client: TestClient, headers: dict[str, str], substitute_id: uuid.UUID, start: int, end: int
) -> Any:
    today = business_today()
    return client.post(
        f"{API}/approval-substitutes",
        json={
            "substitute_id": str(substitute_id),
            "starts_on": (today + dt.timedelta(days=start)).isoformat(),
            "ends_on": (today + dt.timedelta(days=end)).isoformat(),
        },
        headers=headers,
    )


def test_one_level_up_to_the_threshold_two_above(client: TestClient, session: Session):
    org = make_org(session)
    at_threshold = draft(client, org, clean_invoice(client, session, org, fare=Decimal("5000.00")))
    above = draft(client, org, clean_invoice(client, session, org, fare=Decimal("5000.01")))
    one = act(client, org.h("employee"), at_threshold["id"], "submit").json()
    assert (one["required_levels"], one["awaiting_approver"]) == (1, str(org.manager.id))
    two = act(client, org.h("employee"), above["id"], "submit").json()
    assert (two["required_levels"], two["awaiting_approver"]) == (2, str(org.manager.id))
    assert awaiting(client, org.h("director")) == []
    first = act(client, org.h("manager"), above["id"], "approve", {"comment": "ok"}).json()
    assert (first["state"], first["awaiting_approver"]) == ("submitted", str(org.director.id))
    assert awaiting(client, org.h("manager")) == [at_threshold["id"]]
    assert awaiting(client, org.h("director")) == [above["id"]]
    final = act(client, org.h("director"), above["id"], "approve").json()
    assert final["state"] == "approved"
    assert [(a["level"], a["approver"]) for a in final["approvals"]] == [
        (1, str(org.manager.id)),
        (2, str(org.director.id)),
    ]
    assert final["approved_at"] is not None
    assert awaiting(client, org.h("director")) == []


def test_the_threshold_is_the_entitys(client: TestClient, session: Session):
    org = make_org(session)
    default = client.get(f"{API}/entities/{org.entity.id}/claim-policy", headers=org.h("employee"))
    assert default.json()["approval_threshold"] == "5000.00"
    assert default.json()["updated_at"] is None
    assert set_policy(client, org, approval_threshold="500.00")["approval_threshold"] == "500.00"
    claim = submitted(client, session, org)
    assert claim["required_levels"] == 2


def test_no_manager_and_no_fallback_is_no_approver(client: TestClient, session: Session):
    org = make_org(session)
    loner = make_employee(session, org.entity, name="孤独", last4="0001")
    headers = bearer(session, loner)
    spec = invoice_spec(org.entity, passenger=loner, session=session, seat_class="二等座")
    invoice = upload(client, headers, spec)
    claim = client.post(
        f"{API}/claims",
        json={"title": "t", "purpose": "p", "items": [{"invoice_id": invoice["id"]}]},
        headers=headers,
    ).json()
    body = problem(act(client, headers, claim["id"], "submit"), 422, "no-approver")
    assert body["level"] == 1
    current = client.get(f"{API}/claims/{claim['id']}", headers=headers).json()
    assert (current["state"], current["history"][-1]["action"]) == ("draft", "created")
    set_policy(client, org, fallback_approver_id=str(org.director.id))
    routed = act(client, headers, claim["id"], "submit").json()
    assert (routed["state"], routed["awaiting_approver"]) == ("submitted", str(org.director.id))


def test_fallback_approver_when_there_is_no_manager(client: TestClient, session: Session):
    org = make_org(session)
    session.execute(
        update(EmployeeProfile)
        .where(col(EmployeeProfile.user_id) == org.employee.id)
        .values(manager_id=None)
    )
    session.commit()
    claim = draft(client, org, clean_invoice(client, session, org))
    problem(act(client, org.h("employee"), claim["id"], "submit"), 422, "no-approver")
    set_policy(client, org, fallback_approver_id=str(org.finance.id))
    routed = act(client, org.h("employee"), claim["id"], "submit").json()
    assert routed["awaiting_approver"] == str(org.finance.id)
    approved = act(client, org.h("finance"), claim["id"], "approve").json()
    assert approved["state"] == "approved"


def test_a_second_level_needs_someone(client: TestClient, session: Session):
    org = make_org(session)
    set_policy(client, org, approval_threshold="100.00")
    session.execute(
        update(EmployeeProfile)
        .where(col(EmployeeProfile.user_id) == org.employee.id)
        .values(manager_id=org.director.id)
    )
    session.commit()
    claim = draft(client, org, clean_invoice(client, session, org))
    body = problem(act(client, org.h("employee"), claim["id"], "submit"), 422, "no-approver")
    assert body["level"] == 2
    # The fallback may not be the first approver again: four eyes means two people.
    set_policy(client, org, approval_threshold="100.00", fallback_approver_id=str(org.director.id))
    problem(act(client, org.h("employee"), claim["id"], "submit"), 422, "no-approver")
    set_policy(client, org, approval_threshold="100.00", fallback_approver_id=str(org.finance.id))
    routed = act(client, org.h("employee"), claim["id"], "submit").json()
    assert routed["required_levels"] == 2


def test_nobody_approves_their_own_claim(client: TestClient, session: Session):
    org = make_org(session)
    # The manager is their own claimant here: their claim goes to the director.
    invoice = upload(client, org.h("manager"), trip_spec(session, org, who="manager"))
    claim = client.post(
        f"{API}/claims",
        json={"title": "t", "purpose": "p", "items": [{"invoice_id": invoice["id"]}]},
        headers=org.h("manager"),
    ).json()
    routed = act(client, org.h("manager"), claim["id"], "submit").json()
    assert routed["awaiting_approver"] == str(org.director.id)
    problem(act(client, org.h("manager"), claim["id"], "approve", {}), 403, "self-approval")
    # A substitute for one's own approver still does not decide one's own claim.
    assert substitute(client, org.h("director"), org.manager.id, -1, 1).status_code == 201
    problem(
        act(client, org.h("manager"), claim["id"], "approve", {"acknowledge_warnings": True}),
        403,
        "self-approval",
    )
    assert claim["id"] not in awaiting(client, org.h("manager"))


def test_a_manager_who_is_their_own_manager_is_passed_over(client: TestClient, session: Session):
    org = make_org(session)
    session.execute(
        update(EmployeeProfile)
        .where(col(EmployeeProfile.user_id) == org.employee.id)
        .values(manager_id=org.employee.id)
    )
    session.commit()
    claim = draft(client, org, clean_invoice(client, session, org))
    problem(act(client, org.h("employee"), claim["id"], "submit"), 422, "no-approver")


def test_a_substitute_decides_inside_the_date_range(client: TestClient, session: Session):
    org = make_org(session)
    make_approver(session, org.colleague)
    claim = submitted(client, session, org)
    created = substitute(client, org.h("manager"), org.colleague.id, -1, 1)
    assert created.status_code == 201, created.text
    assert created.json()["active"] is True
    assert created.json()["approver"] == str(org.manager.id)
    assert awaiting(client, org.h("colleague")) == [claim["id"]]
    assert awaiting(client, org.h("manager")) == [claim["id"]]
    approved = act(client, org.h("colleague"), claim["id"], "approve", {"comment": "代批"}).json()
    assert approved["state"] == "approved"
    assert approved["approvals"][0]["approver"] == str(org.colleague.id)
    assert approved["approvals"][0]["on_behalf_of"] == str(org.manager.id)
    # Having approved it, the substitute still sees it.
    seen = client.get(f"{API}/claims/{claim['id']}", headers=org.h("colleague"))
    assert seen.status_code == 200


def test_a_substitute_outside_the_date_range_cannot(client: TestClient, session: Session):
    org = make_org(session)
    make_approver(session, org.colleague)
    claim = submitted(client, session, org)
    for start, end in ((1, 3), (-5, -1)):
        created = substitute(client, org.h("manager"), org.colleague.id, start, end)
        assert created.status_code == 201
        assert created.json()["active"] is False
    assert awaiting(client, org.h("colleague")) == []
    response = act(client, org.h("colleague"), claim["id"], "approve", {})
    problem(response, 404, "not-found")
    problem(
        act(client, org.h("colleague"), claim["id"], "reject", {"reason": "x"}), 404, "not-found"
    )


def test_one_person_approves_one_level(client: TestClient, session: Session):
    org = make_org(session)
    set_policy(client, org, approval_threshold="100.00")
    claim = submitted(client, session, org)
    assert act(client, org.h("manager"), claim["id"], "approve").status_code == 200
    assert substitute(client, org.h("director"), org.manager.id, 0, 0).status_code == 201
    response = act(client, org.h("manager"), claim["id"], "approve")
    assert "earlier level" in problem(response, 403, "forbidden")["detail"]


def test_managing_substitutes(client: TestClient, session: Session):
    org = make_org(session)
    make_approver(session, org.colleague)
    mine = substitute(client, org.h("manager"), org.colleague.id, 0, 10).json()
    foreign = client.post(
        f"{API}/approval-substitutes",
        json={
            "approver_id": str(org.director.id),
            "substitute_id": str(org.colleague.id),
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-02",
        },
        headers=org.h("manager"),
    )
    problem(foreign, 403, "forbidden")
    by_admin = client.post(
        f"{API}/approval-substitutes",
        json={
            "approver_id": str(org.director.id),
            "substitute_id": str(org.manager.id),
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-02",
        },
        headers=org.h("admin"),
    )
    assert by_admin.status_code == 201, by_admin.text
    listed = client.get(f"{API}/approval-substitutes", headers=org.h("colleague")).json()
    assert [s["id"] for s in listed["items"]] == [mine["id"]]
    everything = client.get(f"{API}/approval-substitutes", headers=org.h("admin")).json()
    assert len(everything["items"]) == 2
    url = f"{API}/approval-substitutes/{mine['id']}"
    problem(client.delete(url, headers=org.h("colleague")), 404, "not-found")
    assert client.delete(url, headers=org.h("manager")).status_code == 204
    problem(client.delete(url, headers=org.h("manager")), 404, "not-found")


def test_bad_substitute_bodies(client: TestClient, session: Session):
    org = make_org(session)
    backwards = client.post(
        f"{API}/approval-substitutes",
        json={
            "substitute_id": str(org.colleague.id),
            "starts_on": "2026-02-02",
            "ends_on": "2026-02-01",
        },
        headers=org.h("manager"),
    )
    assert [e["field"] for e in problem(backwards, 422, "validation-error")["errors"]] == [
        "ends_on"
    ]
    for target, field in ((org.manager.id, "substitute_id"), (uuid.uuid4(), "substitute_id")):
        response = substitute(client, org.h("manager"), target, 0, 1)
        assert problem(response, 422, "validation-error")["errors"][0]["field"] == field
    missing = client.post(f"{API}/approval-substitutes", json={}, headers=org.h("manager"))
    fields = {e["field"] for e in problem(missing, 422, "validation-error")["errors"]}
    assert fields == {"substitute_id", "starts_on", "ends_on"}


def test_a_substitute_must_be_an_approver_of_the_approvers_entities(
    client: TestClient, session: Session
):
    # The attack: an approver named an employee without the approver role (201), who then
    # approved; and an approver of one entity may not stand in for one of another.
    org = make_org(session)
    elsewhere = make_org(session)
    for headers in (org.h("manager"), org.h("admin")):
        no_role = substitute(client, headers, org.colleague.id, 0, 1)
        error = problem(no_role, 422, "validation-error")["errors"][0]
        assert (error["field"], "approver role" in error["message"]) == ("substitute_id", True)
    foreign = substitute(client, org.h("manager"), elsewhere.manager.id, 0, 1)
    error = problem(foreign, 422, "validation-error")["errors"][0]
    assert (error["field"], "legal entity" in error["message"]) == ("substitute_id", True)
    assert client.get(f"{API}/approval-substitutes", headers=org.h("admin")).json()["items"] == []


def test_a_substitute_decides_only_in_an_entity_of_theirs(client: TestClient, session: Session):
    org = make_org(session)
    make_approver(session, org.colleague)
    claim = submitted(client, session, org)
    assert substitute(client, org.h("manager"), org.colleague.id, 0, 1).status_code == 201
    assert awaiting(client, org.h("colleague")) == [claim["id"]]
    # The colleague leaves the entity: the claim no longer waits for them, nor may they decide it.
    session.execute(
        delete(UserEntity).where(
            col(UserEntity.user_id) == org.colleague.id,
            col(UserEntity.entity_id) == org.entity.id,
        )
    )
    session.commit()
    assert awaiting(client, org.h("colleague")) == []
    problem(act(client, org.h("colleague"), claim["id"], "approve", {}), 404, "not-found")


def test_warnings_must_be_acknowledged(client: TestClient, session: Session):
    org = make_org(session)
    unverified = upload(client, org.h("employee"), trip_spec(session, org))
    claim = draft(client, org, unverified["id"])
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    for body in (None, {}, {"acknowledge_warnings": False}):
        refused = problem(
            act(client, org.h("manager"), claim["id"], "approve", body),
            409,
            "warnings-not-acknowledged",
        )
        assert [(f["code"], f["severity"], f["item_id"]) for f in refused["findings"]] == [
            ("unverified", "warn", claim["items"][0]["id"])
        ]
    approved = act(
        client, org.h("manager"), claim["id"], "approve", {"acknowledge_warnings": True}
    ).json()
    assert approved["state"] == "approved"
    assert approved["approvals"][0]["acknowledged_warnings"] == [
        {"code": "unverified", "item_id": claim["items"][0]["id"]}
    ]


def test_blocking_findings_that_arise_after_submission_stop_approval(
    client: TestClient, session: Session
):
    org = make_org(session)
    blue = trip_spec(session, org)
    blue_id = upload(client, org.h("employee"), blue)["id"]
    claim = draft(client, org, blue_id)
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    upload(client, org.h("employee"), red_letter_of(blue, random.Random(11)))
    refused = act(client, org.h("manager"), claim["id"], "approve", {"acknowledge_warnings": True})
    body = problem(refused, 409, "blocking-findings")
    assert "item-void" in [f["code"] for f in body["findings"]]
    rejected = act(client, org.h("manager"), claim["id"], "reject", {"reason": "发票已红冲"})
    assert rejected.json()["state"] == "draft"


def test_claim_policy_is_managed_by_admins(client: TestClient, session: Session):
    org = make_org(session)
    url = f"{API}/entities/{org.entity.id}/claim-policy"
    problem(client.put(url, json={}, headers=org.h("finance")), 403, "forbidden")
    stranger = make_org(session)
    problem(client.get(url, headers=stranger.h("employee")), 404, "not-found")
    outsider = client.put(
        url, json={"fallback_approver_id": str(stranger.director.id)}, headers=org.h("admin")
    )
    errors = problem(outsider, 422, "validation-error")["errors"]
    assert errors[0]["field"] == "fallback_approver_id"
    inverted = client.put(
        url,
        json={"first_class_min_grade": 5, "business_class_min_grade": 4},
        headers=org.h("admin"),
    )
    errors = problem(inverted, 422, "validation-error")["errors"]
    assert errors[0]["field"] == "business_class_min_grade"
    saved = set_policy(client, org, late_submission_days=30, segregation_of_duties=False)
    assert (saved["late_submission_days"], saved["segregation_of_duties"]) == (30, False)
    # A replacement: what is left out goes back to its default.
    again = set_policy(client, org)
    assert (again["late_submission_days"], again["segregation_of_duties"]) == (180, True)


def test_a_manager_who_is_no_approver_of_the_entity_is_passed_over(
    client: TestClient, session: Session
):
    org = make_org(session)
    set_policy(client, org, fallback_approver_id=str(org.director.id))
    employee_only = make_user(session, "employee", entity=org.entity)
    elsewhere = make_user(session, "approver", entity=make_entity(session))
    for manager in (employee_only, elsewhere):
        session.execute(
            update(EmployeeProfile)
            .where(col(EmployeeProfile.user_id) == org.employee.id)
            .values(manager_id=manager.id)
        )
        session.commit()
        claim = draft(client, org, clean_invoice(client, session, org))
        routed = act(client, org.h("employee"), claim["id"], "submit").json()
        # The entity's fallback approver, as when the manager is inactive.
        assert routed["awaiting_approver"] == str(org.director.id)
