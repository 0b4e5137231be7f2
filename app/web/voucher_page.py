"""The voucher page, shared by its GET and by a 红字 reversal that fails and says why."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import Response

from app.auth.models import Role
from app.auth.names import display_names
from app.kit.dates import business_today
from app.ledger import queries
from app.problems import AppError
from app.web.claim_present import VOUCHER_KINDS
from app.web.form_page import render_refusal
from app.web.i18n import translate
from app.web.page_call import PageCall


def voucher_page(
    page: PageCall,
    voucher_id: uuid.UUID,
    *,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The voucher within the caller's entities (else 404); finance may reverse a live one."""
    session = page.session
    voucher = queries.voucher_out(session, queries.get_voucher(session, page.principal, voucher_id))
    reversed_by = queries.reversal_of(session, voucher.id)
    reverses = queries.voucher_number(session, voucher.reverses_id) if voucher.reverses_id else None
    context = {
        "voucher": voucher,
        "kind_label": translate(page.lang, VOUCHER_KINDS.get(voucher.kind, voucher.kind)),
        "names": display_names(session, {voucher.prepared_by, voucher.approved_by}),
        "reversed_by": {"id": reversed_by[0], "number": reversed_by[1]} if reversed_by else None,
        "reverses": reverses,
        # The service refuses the rest (a closed period, a reversal of a reversal) in words.
        "can_reverse": page.principal.has_role(Role.FINANCE)
        and voucher.kind != "reversal"
        and reversed_by is None,
        "done": page.query("done"),
        "today": business_today().isoformat(),
        "values": values or {},
    }
    return render_refusal(page, "finance/voucher.html", context, error)
