"""The people migration numbers the claims already stored, in creation order, and the counter
continues after them."""

from __future__ import annotations

from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.migrate import alembic_config
from tests.claims_support import clean_invoice, draft, make_org

BEFORE_NUMBERS = "c15a00001005"


def test_existing_claims_get_numbers_and_new_ones_follow(
    client: TestClient, session: Session, database_url: str
):
    org = make_org(session)
    first = draft(client, org, clean_invoice(client, session, org))
    second = draft(client, org, clean_invoice(client, session, org))
    session.close()
    config = alembic_config(database_url)
    command.downgrade(config, BEFORE_NUMBERS)
    command.upgrade(config, "head")

    month = first["number"][3:9]
    read = [
        client.get(f"/api/v1/claims/{c['id']}", headers=org.h("employee")).json()["number"]
        for c in (first, second)
    ]
    assert read == [f"BX-{month}-0001", f"BX-{month}-0002"]
    third = draft(client, org, clean_invoice(client, session, org))
    assert third["number"] == f"BX-{month}-0003"
