"""The shared synthetic samples agree with each other and with this package's test builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.invoices.parsing import ParsedInvoice, parse_file
from app.invoices.verification import compare_answer, verify_request
from tests.unit.verification.invoices import sale_answer, sale_invoice

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


def _sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        reason = f"shared sample {name} not found at {SAMPLES}"
        print(reason)  # noqa: T201 - shown with -rs/-s so a skipped run says why
        pytest.skip(reason)
    return path


def _parsed(name: str) -> ParsedInvoice:
    path = _sample(name)
    [invoice] = parse_file(path.read_bytes(), path.name)
    return invoice


def _answer() -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(_sample("chayan_tdys_SYNTHETIC.json").read_text("utf-8"))
    return answer


def test_the_sample_answer_confirms_the_parsed_sample_sale():
    assert compare_answer(_answer(), _parsed("rai_issuer_sale_SYNTHETIC.xml")) == ()


def test_the_sample_answer_disputes_the_refund_fee_invoice():
    disputed = compare_answer(_answer(), _parsed("rai_issuer_refund_SYNTHETIC.xml"))
    assert disputed[:3] == ("invoice_number", "issue_date", "fare")
    assert "business_type" in disputed


def test_the_builders_mirror_the_samples():
    sale = _parsed("rai_issuer_sale_SYNTHETIC.xml")
    ours = sale_invoice(renditions=sale.renditions, xbrl=sale.xbrl)
    assert ours == sale
    expected = {k: v for k, v in _answer().items() if k != "_comment"}
    assert sale_answer() == expected


def test_the_request_for_the_sample_sale():
    sale = _parsed("rai_issuer_sale_SYNTHETIC.xml")
    assert verify_request(sale) == {
        "fphm": "25119199999000000001",
        "kprq": "20250320",
        "jshj": "553.00",
    }
