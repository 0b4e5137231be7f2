"""Login, bearer tokens (session and API), expiry, revocation, lockout and role checks."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.auth.deps import principal_for_token
from app.auth.models import ApiToken, LoginThrottle, User, UserEntity
from app.auth.throttle import name_key
from app.auth.tokens import mint_token
from app.db import utcnow
from tests.factories import PASSWORD, bearer, make_entity, make_user


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, object]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    return {"status": response.status_code, "body": response.json()}


def assert_problem(response_json: dict[str, object], status: int, slug: str) -> None:
    assert response_json["status"] == status
    assert response_json["type"] == f"/problems/{slug}"
    assert isinstance(response_json["title"], str)
    assert response_json["title"]


def test_token_flow_returns_a_bearer_token_that_reads_me(client: TestClient, session: Session):
    user = make_user(session, "employee", username="alice")
    result = login(client, "Alice")  # usernames are case-insensitive
    assert result["status"] == 200
    body = result["body"]
    assert isinstance(body, dict)
    assert body["token_type"] == "bearer"
    assert body["expires_at"]
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert "password_hash" not in me.json()


def test_wrong_password_is_a_401_problem(client: TestClient, session: Session):
    make_user(session, "employee", username="bob")
    response = client.post("/api/v1/auth/token", data={"username": "bob", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem(response.json(), 401, "invalid-credentials")


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client: TestClient):
    response = client.post("/api/v1/auth/token", data={"username": "ghost", "password": "x"})
    assert response.status_code == 401
    assert_problem(response.json(), 401, "invalid-credentials")


def test_five_failures_lock_the_account(client: TestClient, session: Session):
    make_user(session, "employee", username="carol")
    for _ in range(5):
        assert login(client, "carol", "wrong")["status"] == 401
    locked = login(client, "carol")  # even the right password is refused while locked
    assert locked["status"] == 423
    body = locked["body"]
    assert isinstance(body, dict)
    assert_problem(body, 423, "account-locked")


def test_lock_expires(client: TestClient, session: Session):
    make_user(session, "employee", username="dave")
    for _ in range(5):
        login(client, "dave", "wrong")
    assert login(client, "dave")["status"] == 423
    row = session.get(LoginThrottle, name_key("dave"))
    assert row is not None
    row.locked_until = utcnow() - dt.timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert login(client, "dave")["status"] == 200
    session.expire_all()
    assert session.get(LoginThrottle, name_key("dave")) is None  # a success forgets the count


def test_unknown_and_existing_names_answer_alike_once_locked(client: TestClient, session: Session):
    """Issue 15.6: after five failures a real account answered 423, an unknown name 401 forever,
    which told a guesser who exists. Failures now count per name tried."""
    make_user(session, "employee", username="grace")
    answers: dict[str, list[int]] = {"grace": [], "nobody-here": []}
    for name, statuses in answers.items():
        statuses.extend(int(str(login(client, name, "wrong")["status"])) for _ in range(6))
    assert answers["grace"] == answers["nobody-here"] == [401, 401, 401, 401, 401, 423]
    real, unknown = login(client, "grace")["body"], login(client, "nobody-here")["body"]
    assert isinstance(real, dict)
    assert isinstance(unknown, dict)
    assert real.keys() == unknown.keys()
    assert {k: v for k, v in real.items() if k != "locked_until"} == {
        k: v for k, v in unknown.items() if k != "locked_until"
    }


def test_failures_far_apart_do_not_add_up(client: TestClient, session: Session):
    make_user(session, "employee", username="heidi")
    for _ in range(4):
        login(client, "heidi", "wrong")
    row = session.get(LoginThrottle, name_key("heidi"))
    assert row is not None
    assert row.failures == 4
    row.last_failed_at = utcnow() - dt.timedelta(hours=1)  # older than the lockout window
    session.add(row)
    session.commit()
    assert login(client, "heidi", "wrong")["status"] == 401
    session.expire_all()
    fresh = session.get(LoginThrottle, name_key("heidi"))
    assert fresh is not None
    assert fresh.failures == 1


def test_guessing_random_names_leaves_no_lasting_rows(client: TestClient, session: Session):
    for n in range(3):
        login(client, f"stranger-{n}", "wrong")
    stale = utcnow() - dt.timedelta(hours=1)
    for row in session.exec(select(LoginThrottle)).all():
        row.last_failed_at = stale
        session.add(row)
    session.commit()
    login(client, "one-more-stranger", "wrong")
    session.expire_all()
    keys = set(session.exec(select(LoginThrottle.name_sha256)).all())
    assert keys == {name_key("one-more-stranger")}


def test_success_resets_the_failure_count(client: TestClient, session: Session):
    make_user(session, "employee", username="erin")
    for _ in range(4):
        login(client, "erin", "wrong")
    assert login(client, "erin")["status"] == 200
    for _ in range(4):
        login(client, "erin", "wrong")
    assert login(client, "erin")["status"] == 200


def test_inactive_user_cannot_log_in_or_use_tokens(client: TestClient, session: Session):
    user = make_user(session, "employee", username="frank")
    headers = bearer(session, user)
    user.is_active = False
    session.add(user)
    session.commit()
    # The right password learns that the account is deactivated (SPEC: 403 account-disabled).
    assert login(client, "frank")["status"] == 403
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_missing_invalid_and_expired_tokens_are_401(client: TestClient, session: Session):
    user = make_user(session, "employee")
    assert_problem(client.get("/api/v1/users/me").json(), 401, "unauthorized")
    bad = client.get("/api/v1/users/me", headers={"Authorization": "Bearer rc_not-a-token"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    headers = bearer(session, user)
    token = session.exec(select(ApiToken).where(col(ApiToken.user_id) == user.id)).one()
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.add(token)
    session.commit()
    expired = client.get("/api/v1/users/me", headers=headers)
    assert expired.status_code == 401
    assert_problem(expired.json(), 401, "unauthorized")


def test_api_token_is_shown_once_stored_hashed_and_revocable(client: TestClient, session: Session):
    admin = make_user(session, "admin")
    service_user = make_user(session, "finance", username="svc-erp", is_service=True)
    created = client.post(
        "/api/v1/tokens",
        json={"name": "erp", "user_id": str(service_user.id)},
        headers=bearer(session, admin),
    )
    assert created.status_code == 201
    token = created.json()["token"]
    stored = session.get(ApiToken, uuid.UUID(created.json()["id"]))
    assert stored is not None
    assert token not in stored.token_sha256
    assert len(stored.token_sha256) == 64
    erp = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/users/me", headers=erp).json()["username"] == "svc-erp"
    revoked = client.delete(
        f"/api/v1/tokens/{created.json()['id']}", headers=bearer(session, admin)
    )
    assert revoked.status_code == 204
    assert client.get("/api/v1/users/me", headers=erp).status_code == 401


def test_non_admin_cannot_mint_for_others_and_cannot_see_others_tokens(
    client: TestClient, session: Session
):
    alice = make_user(session, "employee")
    bob = make_user(session, "employee")
    refused = client.post(
        "/api/v1/tokens", json={"name": "x", "user_id": str(bob.id)}, headers=bearer(session, alice)
    )
    assert refused.status_code == 403
    own = client.post("/api/v1/tokens", json={"name": "mine"}, headers=bearer(session, bob))
    assert own.status_code == 201
    hidden = client.delete(f"/api/v1/tokens/{own.json()['id']}", headers=bearer(session, alice))
    assert hidden.status_code == 404  # another user's token does not even exist for alice


def test_logout_revokes_the_session_token(client: TestClient, session: Session):
    user = make_user(session, "employee")
    headers = bearer(session, user)
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_roles_are_enforced_with_403_problems(client: TestClient, session: Session):
    entity = make_entity(session)
    employee = make_user(session, "employee", entity=entity)
    finance = make_user(session, "finance", entity=entity)
    for user in (employee, finance):
        response = client.get("/api/v1/users", headers=bearer(session, user))
        assert response.status_code == 403
        assert_problem(response.json(), 403, "forbidden")
        posted = client.post(
            "/api/v1/entities",
            json={"name": "x", "uscc": entity.uscc},
            headers=bearer(session, user),
        )
        assert posted.status_code == 403


def test_user_rows_never_hold_plain_passwords(session: Session, client: TestClient):
    user = make_user(session, "employee")
    stored = session.get(User, user.id)
    assert stored is not None
    assert stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2")


def test_a_token_resolves_to_every_entity_of_its_user(session: Session):
    first, second = make_entity(session), make_entity(session)
    both = make_user(session, "employee", entity=first)
    session.add(UserEntity(user_id=both.id, entity_id=second.id))
    nowhere = make_user(session, "employee")
    session.commit()
    for user, expected in ((both, {first.id, second.id}), (nowhere, set())):
        _row, plaintext = mint_token(session, user=user, kind="api", name="t", lifetime=None)
        session.commit()
        principal = principal_for_token(session, plaintext)
        assert principal is not None
        assert principal.id == user.id
        assert principal.entity_ids == expected
