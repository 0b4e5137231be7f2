"""Finance's claim rows: the claim with each finding beside the document it concerns."""

from __future__ import annotations

from typing import Any

from app.claims.schemas import ClaimItemOut, ClaimOut
from app.web.claim_present import claim_view
from app.web.i18n import Lang


def document_label(item: ClaimItemOut) -> str:
    """How a clerk finds the document: its number, train and travel date."""
    parts = [
        item.number,
        item.train_number or item.flight_number or "",
        str(item.travel_date or ""),
    ]
    return " ".join(p for p in parts if p)


def finance_row(lang: Lang, claim: ClaimOut, names: dict[Any, str]) -> dict[str, Any]:
    view = claim_view(lang, claim, names)
    items = {item.id: item for item in claim.items}
    for finding in view["findings"]:
        item = items.get(finding["item_id"]) if finding["item_id"] else None
        finding["document"] = document_label(item) if item else None
        finding["document_url"] = (
            f"/invoices/{item.invoice_id}" if item and item.invoice_id else None
        )
    return view
