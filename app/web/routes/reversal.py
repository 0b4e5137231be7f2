"""红字 reversal of a booked voucher from its page: a reason, a date and a ticked confirmation."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from starlette.responses import Response

from app.ledger.schemas import ReverseRequest
from app.posting.service import reverse_voucher
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.confirm import confirmed, not_confirmed
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import as_problem
from app.web.page_call import FinancePost, see_other
from app.web.voucher_page import voucher_page

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
REVERSAL_FIELDS = ("reason", "reversal_date")


@router.post("/finance/vouchers/{voucher_id}/reverse")
def reverse_voucher_page(post: FinancePost, store: StoreDep, voucher_id: uuid.UUID) -> Response:
    """On success the original's page names the 红字 voucher that now reverses it."""
    body, errors = post.parse(ReverseRequest, {n: post.form.get(n, "") for n in REVERSAL_FIELDS})
    if body is None or not confirmed(post.form):
        error = as_problem(errors) if body is None else not_confirmed(post.lang)
        return voucher_page(post, voucher_id, error=error, values=post.form)
    try:
        reverse_voucher(
            post.session,
            post.actor,
            voucher_id,
            reversal_date=body.reversal_date,
            reason=body.reason,
            store=store,
        )
    except AppError as exc:
        return voucher_page(post, voucher_id, error=exc, values=post.form)
    return see_other(f"/finance/vouchers/{voucher_id}?done=reversed")
