"""Who sees which claims: own, reports', the route's, entity-wide, everything; else 404. Lists."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.claims_support import API, act, clean_invoice, draft, make_org, problem, submitted
from tests.factories import bearer, make_user


def visible_ids(client: TestClient, headers: dict[str, str], **params: str) -> list[str]:
    response = client.get(f"{API}/claims", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def test_who_sees_a_claim(client: TestClient, session: Session):
    org = make_org(session)
    other = make_org(session)
    claim = submitted(client, session, org)
    url = f"{API}/claims/{claim['id']}"
    for who in ("employee", "manager", "finance", "auditor", "admin"):
        assert client.get(url, headers=org.h(who)).status_code == 200, who
    # Peers, the manager's manager (not on a one-level route), other entities' staff: 404.
    for headers in (org.h("colleague"), org.h("director"), other.h("finance"), other.h("manager")):
        problem(client.get(url, headers=headers), 404, "not-found")
    # An approver of the same entity who manages someone else sees nothing of it either.
    bystander = make_user(session, "approver", entity=org.entity)
    problem(client.get(url, headers=bearer(session, bystander)), 404, "not-found")


def test_the_route_sees_what_it_decides(client: TestClient, session: Session):
    org = make_org(session)
    client.put(
        f"{API}/entities/{org.entity.id}/claim-policy",
        json={"approval_threshold": "1.00"},
        headers=org.h("admin"),
    )
    claim = submitted(client, session, org)
    assert client.get(f"{API}/claims/{claim['id']}", headers=org.h("director")).status_code == 200


def test_lists_follow_visibility_and_filters(client: TestClient, session: Session):
    org = make_org(session)
    other = make_org(session)
    mine_draft = draft(client, org, clean_invoice(client, session, org))
    mine_submitted = submitted(client, session, org)
    theirs = draft(client, other, clean_invoice(client, session, other))
    newest_first = [mine_submitted["id"], mine_draft["id"]]
    assert visible_ids(client, org.h("employee")) == newest_first
    assert visible_ids(client, org.h("manager")) == newest_first
    assert visible_ids(client, org.h("finance")) == newest_first
    assert visible_ids(client, org.h("colleague")) == []
    assert visible_ids(client, org.h("admin")) == [theirs["id"], *newest_first]
    assert visible_ids(client, org.h("employee"), state="draft") == [mine_draft["id"]]
    assert visible_ids(client, org.h("manager"), awaiting="me") == [mine_submitted["id"]]
    assert visible_ids(client, org.h("employee"), awaiting="me") == []
    page = client.get(f"{API}/claims", params={"limit": 1}, headers=org.h("employee")).json()
    assert [c["id"] for c in page["items"]] == [mine_submitted["id"]]
    rest = client.get(
        f"{API}/claims",
        params={"limit": 1, "cursor": page["next_cursor"]},
        headers=org.h("employee"),
    ).json()
    assert ([c["id"] for c in rest["items"]], rest["next_cursor"]) == ([mine_draft["id"]], None)


def test_bad_list_parameters(client: TestClient, session: Session):
    org = make_org(session)
    for params, field in (
        ({"awaiting": "you"}, "awaiting"),
        ({"state": "lost"}, "state"),
        ({"limit": "0"}, "limit"),
        ({"cursor": "garbage!"}, "cursor"),
    ):
        response = client.get(f"{API}/claims", params=params, headers=org.h("employee"))
        errors = problem(response, 422, "validation-error")["errors"]
        assert [e["field"] for e in errors] == [field]


def test_auditors_read_but_never_act(client: TestClient, session: Session):
    org = make_org(session)
    claim = submitted(client, session, org)
    assert client.get(f"{API}/claims/{claim['id']}", headers=org.h("auditor")).status_code == 200
    for action, body in (("approve", {}), ("reject", {"reason": "x"}), ("withdraw", None)):
        problem(act(client, org.h("auditor"), claim["id"], action, body), 403, "forbidden")
