"""schemathesis against the app's own OpenAPI schema, in process (ASGI), as every role.

Each generated request goes out with a fresh token of a drawn role (or none), and half of them
name real objects in their path (an invoice, a claim, a voucher, …) so that they get past the
404 into the handlers. Checks: no 5xx; status, content type, headers and body as documented,
where an undocumented status must be a problem+json (the schema's `default` response).
CI runs `RAILCLAIM_API_FUZZ_EXAMPLES` (default 10) per operation; `bench/fuzz_api.py` more.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests import databases
from tests.api.authz_world import ACTORS, World, build_world

EXAMPLES = int(os.environ.get("RAILCLAIM_API_FUZZ_EXAMPLES", "10"))
ENGINES = os.environ.get("RAILCLAIM_API_FUZZ_ENGINES", "sqlite").split(",")
ROLES = (*ACTORS, "anonymous")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=ENGINES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp("schemathesis")
    pg_name = None
    if request.param == "sqlite":
        url = databases.clone_sqlite(sqlite_template, workdir / "fuzz.db")
    else:
        pg_name = databases.unique_name("rc_st")
        url = databases.create_pg_database(pg_name, template=request.getfixturevalue("pg_template"))
    settings_ = Settings(
        database_url=url, storage_dir=workdir / "storage", environment="test", log_json=False
    )
    app = create_app(settings_)
    engine = make_engine(url, sqlite_immediate=False)
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        Session(engine, expire_on_commit=False) as session,
    ):
        yield build_world(client, session)
    engine.dispose()
    app.state.engine.dispose()
    app.state.read_engine.dispose()
    if pg_name:
        databases.drop_pg_database(pg_name)


def known_ids(w: World) -> dict[str, str]:
    """Real objects by path parameter name; `voucher_id` is settled per path in `aim`."""
    claim_id, item_id = w.claim("emp", "submitted")
    webhook_id, delivery_id = w.delivery()
    return {
        "invoice_id": w.invoice("emp"),
        "paper_voucher_id": w.paper("emp"),
        "journal_voucher_id": w.voucher("A"),
        "claim_id": claim_id,
        "item_id": item_id,
        "token_id": w.api_token("emp"),
        "substitute_id": w.substitute("appr"),
        "entity_id": w.entity_id("A"),
        "subscription_id": webhook_id,
        "delivery_id": delivery_id,
        "record_id": w.archive_record("A"),
        "period": "2001-01",
        "rendition": "pdf",
    }


def aim(case: Any, ids: dict[str, str]) -> None:
    """Points the case's path parameters at real objects."""
    params = case.path_parameters or {}
    for name in params:
        if name == "voucher_id":
            paper = case.operation.path.startswith("/api/v1/paper-vouchers")
            params[name] = ids["paper_voucher_id" if paper else "journal_voucher_id"]
        elif name in ids:
            params[name] = ids[name]


def test_api_conforms_to_its_schema(world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.client.app)
    ids = known_ids(world)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), role=st.sampled_from(ROLES), real=st.booleans())
        def run(case: Any, role: str, real: bool) -> None:
            if real:
                aim(case, ids)
            headers = {}
            if role != "anonymous":
                kind = "api" if role == "service" else "session"
                # Fresh each time: a generated logout must not end the next request's session.
                headers = world.token_for(ACTORS[role], kind=kind)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's finding
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
