"""Shared by bench scripts and reliability tests: generated invoices, claim steps over HTTP."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from app.kit.dates import business_today
from bench._servers import ENTITY_NAME, ID_MASKED, PASSENGER, Office
from railclaim_devkit.synthetic import generate_corpus

API = "/api/v1"
BOOKING_DATE = "2026-11-20"


def invoices(seed: int, n: int, uscc: str) -> list[tuple[str, bytes]]:
    """`n` distinct one-page invoice PDFs bought by the office's entity for its employee,
    none issued after today (the generator's dates run into 2027; such an invoice carries the
    blocking `issued-in-future` finding, and its claim could not be submitted)."""
    files = generate_corpus(
        seed,
        n * 2,
        ("pdf",),
        buyer_name=ENTITY_NAME,
        buyer_tax_id=uscc,
        passenger_name=PASSENGER,
        passenger_id_masked=ID_MASKED,
    )
    today = business_today()
    issued = ((f.filename, f.data) for f in files if f.spec.issue_date <= today)
    return list(itertools.islice(issued, n))


def upload(http: httpx.Client, office: Office, item: tuple[str, bytes]) -> httpx.Response:
    return http.post(f"{API}/invoices", files={"file": item}, headers=office.headers("employee"))


def approve_claim(http: httpx.Client, office: Office, invoice_id: str) -> str:
    """Claims one invoice, submits it and has the manager approve it; returns the claim id."""
    created = _ok(
        http.post(
            f"{API}/claims",
            json={"title": "出差", "purpose": "客户拜访", "items": [{"invoice_id": invoice_id}]},
            headers=office.headers("employee"),
        )
    )
    claim_id = str(created["id"])
    _ok(http.post(f"{API}/claims/{claim_id}/submit", headers=office.headers("employee")))
    _ok(
        http.post(
            f"{API}/claims/{claim_id}/approve",
            json={"acknowledge_warnings": True},
            headers=office.headers("manager"),
        )
    )
    return claim_id


def book(http: httpx.Client, office: Office, claim_id: str, who: str = "finance") -> httpx.Response:
    return http.post(
        f"{API}/claims/{claim_id}/book",
        json={"booking_date": BOOKING_DATE},
        headers=office.headers(who),
    )


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:300]}")  # fmt: skip
    body: dict[str, Any] = response.json()
    return body
