"""The air migration reads every stored invoice and paper voucher as railway, totalling its fare."""

from __future__ import annotations

from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.migrate import alembic_config
from tests.claims_support import API, make_org, register_paper, trip_spec, upload

BEFORE_AIR = "c17a00001910"


def test_stored_rows_become_railway_with_their_fare_as_total(
    client: TestClient, session: Session, database_url: str
):
    org = make_org(session)
    invoice = upload(client, org.h("employee"), trip_spec(session, org))
    paper = register_paper(client, org)
    session.close()
    config = alembic_config(database_url)
    command.downgrade(config, BEFORE_AIR)
    command.upgrade(config, "head")

    read = client.get(f"{API}/invoices/{invoice['id']}", headers=org.h("employee")).json()
    assert (read["kind"], read["total_amount"], read["segments"]) == ("railway", "553.00", [])
    again = client.get(f"{API}/paper-vouchers/{paper['id']}", headers=org.h("employee")).json()
    assert (again["kind"], again["train_number"]) == ("railway", "G1")
