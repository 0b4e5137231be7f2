"""A booking loads what it needs once: the archive and the answer use the rows the posting read."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from tests.api.ledger_helpers import approved_claim, book, make_office, upload_invoice

FROM_TABLE = re.compile(r"\bFROM (\w+)")
# Each read once: the claim (locked), its items, documents, trail, entity and renditions.
READ_ONCE = (
    "claim",
    "claim_item",
    "invoice",
    "claim_approval",
    "claim_history",
    "legal_entity",
    "invoice_file",
)


def test_booking_reads_the_claim_and_its_rows_once(
    app: FastAPI, client: TestClient, session: Session
):
    office = make_office(session)
    invoice_ids = [upload_invoice(client, office, session)["id"] for _ in range(2)]
    claim = approved_claim(client, office, [{"invoice_id": i} for i in invoice_ids])
    tables: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found = FROM_TABLE.search(statement)
        if statement.lstrip().startswith("SELECT") and found:
            tables.append(found.group(1))

    event.listen(app.state.engine, "before_cursor_execute", record)
    try:
        response = book(client, office, claim["id"])
    finally:
        event.remove(app.state.engine, "before_cursor_execute", record)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], len(body["voucher_ids"]), len(body["items"])) == ("booked", 1, 2)
    assert {item["status"] for item in body["items"]} == {"booked"}
    assert [h["action"] for h in body["history"]][-1] == "booked"
    counts = Counter(tables)
    assert {table: counts[table] for table in READ_ONCE} == dict.fromkeys(READ_ONCE, 1)
    assert counts["journal_line"] == 0  # the archive and the answer use the lines just written
