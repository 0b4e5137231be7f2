"""Auditor pages in words: audit actions and object types as labels, filters as selects of the
known codes (so 批准 finds approvals), full copyable ids, 四性 counts and checks named."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.web import audit_labels
from app.web.messages_en import EN
from app.web.messages_en_office import OFFICE_EN
from tests.api.ledger_helpers import Office, approved_claim, make_office, upload_invoice
from tests.web.helpers import HTML, login


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def test_the_action_filter_offers_approvals_by_their_chinese_name(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    login(client, office.auditor)
    page = client.get("/audit/log", headers=HTML).text
    assert '<select name="action">' in page
    assert '<option value="claim.approved">批准报销单</option>' in page
    assert '<option value="claim">报销单</option>' in page
    approvals = client.get("/audit/log?action=claim.approved", headers=HTML).text
    assert '<option value="claim.approved" selected>批准报销单</option>' in approvals
    rows = approvals.split("<tbody>")[1]
    assert rows.count('<br><small class="mono muted">claim.approved</small>') == 1
    assert "claim.submitted</small>" not in rows
    # The claim's whole id, as a link that narrows the log to it.
    assert f'<a class="copyable" href="?action=claim.approved&amp;object_id={claim["id"]}"' in rows


def test_labels_are_english_on_an_english_page(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    login(client, office.auditor)
    page = client.get("/audit/log?lang=en", headers=HTML).text
    assert '<option value="claim.approved">Claim approved</option>' in page
    assert "批准报销单" not in page


def test_integrity_counts_are_named(client: TestClient, session: Session, office: Office):
    upload_invoice(client, office, session)
    login(client, office.auditor)
    page = client.get("/audit/integrity", headers=HTML).text
    assert "审计记录" in page  # audit_events
    assert '<small class="mono muted">audit_events</small>' in page


def test_every_label_has_english():
    for labels in (
        audit_labels.ACTION_LABELS,
        audit_labels.OBJECT_TYPE_LABELS,
        audit_labels.CHECKED_LABELS,
        audit_labels.CHECK_LABELS,
    ):
        assert sorted(set(labels.values()) - EN.keys()) == []


def test_office_texts_never_change_another_catalogue_entry():
    """The catalogue is keyed by Chinese text: a second English for one key would win silently."""
    others: dict[str, str] = {}
    for path in Path(audit_labels.__file__).parent.glob("messages_en*.py"):
        if path.name == "messages_en_office.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
                        others[key.value] = value.value
    clashes = {k for k, v in OFFICE_EN.items() if k in others and others[k] != v}
    assert clashes == set()
