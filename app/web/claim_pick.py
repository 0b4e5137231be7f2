"""The document picker of claim building: what the claimant may add, what is ticked, the total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.auth.principal import Principal
from app.invoices import queries as invoice_queries
from app.paper import queries as paper_queries
from app.web.i18n import Lang
from app.web.present import invoice_row
from app.web.templating import format_money

# The picker shows one page of documents; a claim rarely holds more than a month's trips.
PICK_LIMIT = 200


def checked_values(values: dict[str, Any], preselected: list[str]) -> set[str]:
    """The ticked `kind:id` values of a posted form, else those the link preselected."""
    checked = values.get("items") or preselected
    return set(checked if isinstance(checked, list) else [checked])


def pick_context(
    session: Session,
    principal: Principal,
    lang: Lang,
    checked: set[str],
    *,
    base_total: Decimal = Decimal("0.00"),
) -> dict[str, Any]:
    """The claimant's available invoices and paper vouchers, with the running total's start."""
    invoices, _ = invoice_queries.list_invoices(
        session,
        principal,
        invoice_queries.InvoiceFilters(status="available", owner=principal.id),
        cursor=None,
        limit=PICK_LIMIT,
    )
    papers, _ = paper_queries.list_vouchers(
        session, principal, received=None, cursor=None, limit=PICK_LIMIT
    )
    mine = [p for p in papers if p.owner == principal.id and p.status == "available"]
    rows = [invoice_row(lang, i) for i in invoices]
    amounts = [
        Decimal(r["amount"]) for r in rows if f"invoice:{r['id']}" in checked or r["id"] in checked
    ]
    amounts += [p.total_amount for p in mine if f"paper:{p.id}" in checked]
    return {
        "invoices": rows,
        "papers": mine,
        "checked": checked,
        "base_total": str(base_total),
        "picked": {
            "count": len(amounts),
            "total": format_money(base_total + sum(amounts, Decimal(0))),
        },
    }
