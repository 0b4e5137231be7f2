"""The audit log: what gets recorded, who may read it, and that tampering is refused or detected."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditHead
from app.audit.service import audit_key, record_event, verify_chain
from app.config import Settings
from app.db import utcnow
from app.main import create_app
from tests.api.test_auth import assert_problem
from tests.factories import PASSWORD, bearer, make_entity, make_uscc, make_user

# What only the tables' owner can do: the log's own triggers, the event's and the head's.
DROP_TRIGGERS = {
    "postgresql": [
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DROP TRIGGER audit_head_forward ON audit_head",
    ],
    "sqlite": [
        "DROP TRIGGER audit_event_no_update",
        "DROP TRIGGER audit_event_no_delete",
        "DROP TRIGGER audit_head_no_step_back",
        "DROP TRIGGER audit_head_no_delete",
    ],
}


def events(session: Session) -> list[AuditEvent]:
    session.commit()  # a fresh snapshot: the app wrote through its own connections
    statement = select(AuditEvent).order_by(col(AuditEvent.seq))
    return list(session.exec(statement.execution_options(populate_existing=True)).all())


def seed_events(session: Session, settings: Settings, count: int, **fields: Any) -> None:
    session.commit()
    for n in range(count):
        record_event(
            session,
            actor=fields.get("actor"),
            action=fields.get("action", "test.event"),
            object_type=fields.get("object_type", "thing"),
            object_id=fields.get("object_id", f"t{n}"),
            details={"n": n},
            key=audit_key(settings),
        )
        session.commit()


def run_sql(session: Session, *statements: str, **params: Any) -> None:
    session.commit()
    for statement in statements:
        session.execute(text(statement), params)
    session.commit()


def drop_triggers(session: Session) -> None:
    run_sql(session, *DROP_TRIGGERS[session.get_bind().dialect.name])


def verify(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/audit-events/verify", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def first_broken(body: dict[str, Any]) -> tuple[int, str]:
    assert body["ok"] is False
    return body["first_broken"]["seq"], body["first_broken"]["reason"]


def test_logins_and_failed_logins_are_recorded(client: TestClient, session: Session):
    carol = make_user(session, "employee", username="carol")
    assert client.post("/api/v1/auth/token", data={"username": "carol", "password": PASSWORD})
    client.post("/api/v1/auth/token", data={"username": "carol", "password": "wrong-guess"})
    client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x"})
    login, failed = events(session)  # an unknown username leaves nothing to attach an event to
    assert (login.action, login.actor_username, login.object_id) == (
        "auth.login",
        "carol",
        str(carol.id),
    )
    assert (failed.action, failed.actor_id, failed.object_id) == (
        "auth.login-failed",
        None,
        str(carol.id),
    )
    assert failed.details == {"username": "carol", "reason": "password", "locks_account": False}
    stored = json.dumps([login.details, failed.details])
    assert PASSWORD not in stored
    assert "wrong-guess" not in stored


def test_the_locking_failure_and_attempts_while_locked_are_recorded(
    client: TestClient, session: Session
):
    make_user(session, "employee", username="dave")
    for _ in range(5):
        client.post("/api/v1/auth/token", data={"username": "dave", "password": "wrong"})
    assert client.post(
        "/api/v1/auth/token", data={"username": "dave", "password": PASSWORD}
    ).status_code == (423)
    recorded = events(session)
    assert [e.details["locks_account"] for e in recorded] == [False] * 4 + [True, False]
    assert recorded[-1].details["reason"] == "locked"


def test_admin_commands_are_recorded_with_the_admin_as_actor(client: TestClient, session: Session):
    admin = make_user(session, "admin", username="root")
    headers = bearer(session, admin)
    entity = client.post(
        "/api/v1/entities", json={"name": "审计测试有限公司", "uscc": make_uscc()}, headers=headers
    ).json()
    user = client.post(
        "/api/v1/users",
        json={"username": "svc", "display_name": "ERP", "roles": ["finance"], "password": PASSWORD},
        headers=headers,
    ).json()
    token = client.post(
        "/api/v1/tokens", json={"name": "erp", "user_id": user["id"]}, headers=headers
    ).json()
    assert client.delete(f"/api/v1/tokens/{token['id']}", headers=headers).status_code == 204
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    recorded = events(session)
    assert [(e.action, e.object_id) for e in recorded] == [
        ("entity.created", entity["id"]),
        ("user.created", user["id"]),
        ("token.created", token["id"]),
        ("token.revoked", token["id"]),
        ("auth.logout", recorded[-1].object_id),
    ]
    assert {e.actor_username for e in recorded} == {"root"}
    assert {e.actor_id for e in recorded} == {admin.id}
    assert recorded[0].entity_id == uuid.UUID(entity["id"])
    assert recorded[1].details["roles"] == ["finance"]
    stored = json.dumps([e.details for e in recorded])
    assert PASSWORD not in stored
    assert token["token"] not in stored


def test_a_refused_command_leaves_no_event(client: TestClient, session: Session):
    entity = make_entity(session)
    headers = bearer(session, make_user(session, "admin"))
    duplicate = client.post(
        "/api/v1/entities", json={"name": "x", "uscc": entity.uscc}, headers=headers
    )
    assert duplicate.status_code == 409
    assert events(session) == []
    head = session.get(AuditHead, 1)
    assert head is not None
    assert head.seq == 0


def test_the_chain_verifies_and_names_its_head(
    client: TestClient, session: Session, settings: Settings
):
    headers = bearer(session, make_user(session, "auditor"))
    assert verify(client, headers) == {
        "ok": True,
        "checked": 0,
        "first_broken": None,
        "head": {"seq": 0, "mac": "0" * 64},
    }
    seed_events(session, settings, 4)
    recorded = events(session)
    body = verify(client, headers, expected_head=recorded[1].mac)
    assert body["ok"] is True
    assert body["checked"] == 4
    assert body["head"] == {"seq": 4, "mac": recorded[-1].mac}
    assert [e.prev_mac for e in recorded[1:]] == [e.mac for e in recorded[:-1]]


def test_another_key_verifies_nothing(session: Session, settings: Settings):
    seed_events(session, settings, 2)
    report = verify_chain(session, b"not the audit key")
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.reason) == (1, "edited")


def test_triggers_refuse_update_and_delete(session: Session, settings: Settings):
    seed_events(session, settings, 2)
    statements = [
        "UPDATE audit_event SET action = 'forged' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 2",
    ]
    if session.get_bind().dialect.name == "postgresql":
        statements.append("TRUNCATE audit_event")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            run_sql(session, statement)
        session.rollback()
    assert [e.action for e in events(session)] == ["test.event", "test.event"]


def test_an_edited_event_is_detected(client: TestClient, session: Session, settings: Settings):
    seed_events(session, settings, 4)
    drop_triggers(session)
    run_sql(session, "UPDATE audit_event SET object_id = 'other' WHERE seq = 2")
    body = verify(client, bearer(session, make_user(session, "auditor")))
    assert first_broken(body) == (2, "edited")
    assert body["checked"] == 1


def test_a_deleted_event_is_detected(client: TestClient, session: Session, settings: Settings):
    seed_events(session, settings, 4)
    drop_triggers(session)
    run_sql(session, "DELETE FROM audit_event WHERE seq = 3")
    body = verify(client, bearer(session, make_user(session, "auditor")))
    assert first_broken(body) == (3, "deleted")


def test_a_head_row_set_back_is_detected(client: TestClient, session: Session, settings: Settings):
    # Set back to an earlier event's own seq and MAC, it agrees with the walk where it stops.
    seed_events(session, settings, 5)
    second = events(session)[1]
    drop_triggers(session)
    run_sql(
        session, "UPDATE audit_head SET seq = :seq, mac = :mac",
        seq=second.seq, mac=second.mac,
    )  # fmt: skip
    auditor = bearer(session, make_user(session, "auditor"))
    body = verify(client, auditor)
    assert first_broken(body) == (second.seq + 1, "head-mismatch")
    assert "set back" in body["first_broken"]["message"]


def test_a_deleted_head_row_is_detected_and_refuses_audited_writes_clearly(
    client: TestClient, session: Session, settings: Settings
):
    seed_events(session, settings, 3)
    auditor = bearer(session, make_user(session, "auditor"))
    admin = bearer(session, make_user(session, "admin"))
    drop_triggers(session)
    run_sql(session, "DELETE FROM audit_head")

    body = verify(client, auditor)
    assert body["ok"] is False
    assert body["first_broken"]["reason"] == "head-mismatch"
    assert body["first_broken"]["message"] == "the head row is missing"
    # An audited change cannot be written: a 503 that says why, not a crash.
    response = client.post(
        "/api/v1/users",
        json={
            "username": "newcomer",
            "display_name": "N",
            "roles": ["employee"],
            "password": PASSWORD,
        },
        headers=admin,
    )
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert_problem(response.json(), 503, "audit-log-damaged")


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_head SET seq = seq - 1", "DELETE FROM audit_head"],
    ids=["set-back", "deleted"],
)  # fmt: skip
def test_the_head_row_only_moves_forward(session: Session, settings: Settings, statement: str):
    seed_events(session, settings, 2)
    with pytest.raises(DBAPIError, match="only moves forward"):
        run_sql(session, statement)
    session.rollback()


def forged_event(seq: int, prev_mac: str) -> AuditEvent:
    return AuditEvent(
        seq=seq,
        occurred_at=utcnow(),
        actor_username="mallory",
        action="user.created",
        object_type="user",
        object_id="forged",
        details={},
        prev_mac=prev_mac,
        mac="f" * 64,
    )


def test_a_forged_event_at_the_end_is_detected(
    client: TestClient, session: Session, settings: Settings
):
    seed_events(session, settings, 3)
    session.add(forged_event(4, events(session)[-1].mac))
    session.commit()
    body = verify(client, bearer(session, make_user(session, "auditor")))
    assert first_broken(body) == (4, "inserted")


def test_a_forged_event_inside_the_chain_is_detected(
    client: TestClient, session: Session, settings: Settings
):
    seed_events(session, settings, 4)
    first_mac = events(session)[0].mac
    drop_triggers(session)
    # Two steps, so the primary key never holds the same seq twice mid-statement.
    run_sql(
        session,
        "UPDATE audit_event SET seq = -seq WHERE seq >= 2",
        "UPDATE audit_event SET seq = 1 - seq WHERE seq < 0",
        "UPDATE audit_head SET seq = 5",
    )
    session.add(forged_event(2, first_mac))
    session.commit()
    body = verify(client, bearer(session, make_user(session, "auditor")))
    assert first_broken(body) == (2, "inserted")


def test_truncation_is_detected_against_an_earlier_head(
    client: TestClient, session: Session, settings: Settings
):
    seed_events(session, settings, 5)
    headers = bearer(session, make_user(session, "auditor"))
    exported = verify(client, headers)["head"]  # what an archive export records
    kept = events(session)[2]
    drop_triggers(session)
    run_sql(session, "DELETE FROM audit_event WHERE seq > 3")
    assert first_broken(verify(client, headers)) == (4, "head-mismatch")
    # An attacker who also rewinds the head row is still caught by the exported head.
    run_sql(session, "UPDATE audit_head SET seq = 3, mac = :mac", mac=kept.mac)
    assert verify(client, headers)["ok"] is True
    body = verify(client, headers, expected_head=exported["mac"])
    assert first_broken(body) == (4, "head-mismatch")
    assert body["head"] == {"seq": 3, "mac": kept.mac}


@pytest.mark.parametrize("role", ["employee", "approver", "finance"])
def test_only_auditors_and_admins_read_the_log(client: TestClient, session: Session, role: str):
    headers = bearer(session, make_user(session, role))
    for path in ("/api/v1/audit-events", "/api/v1/audit-events/verify"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403
        assert_problem(response.json(), 403, "forbidden")
    for allowed in ("auditor", "admin"):
        reader = bearer(session, make_user(session, allowed))
        assert client.get("/api/v1/audit-events", headers=reader).status_code == 200
    assert client.get("/api/v1/audit-events").status_code == 401


def test_pagination_walks_every_event_once_newest_first(
    client: TestClient, session: Session, settings: Settings
):
    seed_events(session, settings, 7)
    headers = bearer(session, make_user(session, "auditor"))
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/audit-events", headers=headers, params=params).json()
        pages.append([item["seq"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == [[7, 6, 5], [4, 3, 2], [1]]


def test_filters_narrow_the_list(client: TestClient, session: Session, settings: Settings):
    actor = make_user(session, "admin", username="erin")
    seed_events(session, settings, 3)
    seed_events(session, settings, 2, actor=actor, action="test.other", object_id="x1")
    recorded = events(session)
    headers = bearer(session, actor)

    def seqs(**params: str) -> list[int]:
        body = client.get("/api/v1/audit-events", headers=headers, params=params).json()
        return [item["seq"] for item in body["items"]]

    assert seqs(action="test.other") == [5, 4]
    assert seqs(actor="ERIN") == [5, 4]
    assert seqs(object_type="thing", object_id="t1") == [2]
    start, end = recorded[1].occurred_at, recorded[3].occurred_at
    expected = [e.seq for e in reversed(recorded) if start <= e.occurred_at < end]
    assert seqs(**{"from": start.isoformat(), "to": end.isoformat()}) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "bm90LWEtY3Vyc29y"},
        {"cursor": "c2VxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk"},  # seq beyond BIGINT
        {"limit": "0"},
        {"limit": "201"},
        {"from": "2026-11-27T10:00:00"},  # no offset
    ],
)
def test_bad_list_parameters_are_validation_problems(
    client: TestClient, session: Session, params: dict[str, str]
):
    headers = bearer(session, make_user(session, "auditor"))
    response = client.get("/api/v1/audit-events", headers=headers, params=params)
    assert response.status_code == 422
    assert_problem(response.json(), 422, "validation-error")


def test_a_malformed_expected_head_is_a_validation_problem(client: TestClient, session: Session):
    headers = bearer(session, make_user(session, "auditor"))
    response = client.get(
        "/api/v1/audit-events/verify", headers=headers, params={"expected_head": "xyz"}
    )
    assert response.status_code == 422
    assert_problem(response.json(), 422, "validation-error")


def test_concurrent_appends_make_one_gap_free_chain(app: FastAPI, settings: Settings):
    threads, per_thread = 6, 8
    key = audit_key(settings)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            with Session(app.state.engine) as own:
                for n in range(per_thread):
                    record_event(
                        own,
                        actor=None,
                        action="test.concurrent",
                        object_type="worker",
                        object_id=f"{worker}-{n}",
                        key=key,
                    )
                    own.commit()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    workers = [threading.Thread(target=append, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with Session(app.state.engine) as check:
        report = verify_chain(check, key)
        seqs = check.exec(select(AuditEvent.seq).order_by(col(AuditEvent.seq))).all()
    assert report.ok, report.first_broken
    assert report.checked == threads * per_thread
    assert list(seqs) == list(range(1, threads * per_thread + 1))


def test_production_refuses_the_published_dev_audit_key(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/x.db",
        environment="production",
        secret_key=SecretStr("a-real-secret-key-for-production-use"),
    )
    with pytest.raises(RuntimeError, match="RAILCLAIM_AUDIT_KEY"):
        create_app(settings)
