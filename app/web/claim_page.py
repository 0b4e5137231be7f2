"""The claim detail page, shared by every action that lands on it (or fails and explains why)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.auth.names import display_names
from app.auth.principal import Principal
from app.claims import queries
from app.kit.dates import business_today
from app.ledger.queries import voucher_ids_by_claim, voucher_numbers
from app.problems import AppError
from app.web.claim_present import (
    DONE_MESSAGES,
    VOUCHER_KINDS,
    claim_actions,
    claim_view,
    people_of,
)
from app.web.i18n import Lang, request_lang, translate
from app.web.nav import LEDGER_READERS
from app.web.present import problem_view
from app.web.templating import render


def claim_page(
    request: Request,
    session: Session,
    principal: Principal,
    claim_id: uuid.UUID,
    *,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The claim within the caller's sight (else 404), its actions, and a refusal if any."""
    lang = request_lang(request)
    claim = queries.read_claim(session, principal, claim_id, vouchers=voucher_ids_by_claim)
    context = {
        **claim_view(lang, claim, display_names(session, people_of(claim))),
        "actions": claim_actions(principal, claim),
        "today": business_today().isoformat(),
        "problem": problem_view(lang, error) if error else None,
        "values": values or {},
        "done": _done_text(lang, request.query_params.get("done")),
        "vouchers": [
            {"id": v_id, "number": number, "kind": translate(lang, VOUCHER_KINDS.get(kind, kind))}
            for v_id, number, kind in voucher_numbers(session, claim.voucher_ids)
        ],
        "can_open_vouchers": principal.has_role(*LEDGER_READERS),
    }
    status_code = error.status if error else 200
    return render(
        request, "claims/detail.html", context, principal=principal, status_code=status_code
    )


def _done_text(lang: Lang, done: str | None) -> str | None:
    if done is None or done not in DONE_MESSAGES:
        return None
    return translate(lang, DONE_MESSAGES[done])
