"""Inputs fuzzing found to crash an upload: each must now be a typed 422 with nothing stored."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.invoices.models import Invoice
from app.invoices.synthetic import random_spec, render_12306_bundle, render_xbrl
from tests.factories import bearer, make_entity, make_user
from tests.fuzz.test_parser_mutations import _with_corrupt_deflate


def _refused(client: TestClient, headers: dict[str, str], name: str, data: bytes) -> None:
    response = client.post("/api/v1/invoices", files={"file": (name, data)}, headers=headers)
    body = response.json()
    if response.status_code == 200:  # a ZIP answers like a batch: one result per member
        [result] = body["results"]
        assert result["outcome"] == "rejected", body
        body = result["problem"]
    else:
        assert response.status_code == 422, response.text
    assert body["type"] == "/problems/unreadable-file"


def test_damaged_files_are_refused_not_crashed(client: TestClient, session: Session) -> None:
    entity = make_entity(session)
    headers = bearer(session, make_user(session, "employee", entity=entity))
    spec = random_spec(random.Random(9), buyer_name=entity.name, buyer_tax_id=entity.uscc)
    bundle = _with_corrupt_deflate(render_12306_bundle([spec]))
    _refused(client, headers, "bundle.zip", bundle)
    _refused(client, headers, "batch.pdf", bundle)  # the name never decides the type
    xml = render_xbrl(spec).replace(b'encoding="UTF-8"', b'encoding="UTQ-8"', 1)
    _refused(client, headers, "invoice.xml", xml)
    session.commit()
    assert session.exec(select(func.count()).select_from(Invoice)).one() == 0
