"""红字 reversal of a booked voucher from its page: a reason, a date and a ticked confirmation."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.actor import Actor
from app.config import SettingsDep
from app.db import SessionDep
from app.ledger.schemas import ReverseRequest
from app.posting.service import reverse_voucher
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.confirm import confirmed, not_confirmed
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormFields, as_problem, parse_form
from app.web.i18n import request_lang
from app.web.session import FinanceWebUser
from app.web.voucher_page import voucher_page

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)


@router.post("/finance/vouchers/{voucher_id}/reverse")
def reverse_voucher_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    voucher_id: uuid.UUID,
    form: FormFields,
) -> Response:
    """On success the original's page names the 红字 voucher that now reverses it."""
    lang = request_lang(request)
    fields = {name: form.get(name, "") for name in ("reason", "reversal_date")}
    body, errors = parse_form(ReverseRequest, fields, lang)
    if body is None or not confirmed(form):
        error = as_problem(errors) if body is None else not_confirmed(lang)
        return voucher_page(request, session, principal, voucher_id, error=error, values=form)
    try:
        reverse_voucher(
            session,
            Actor(principal, audit_key(settings)),
            voucher_id,
            reversal_date=body.reversal_date,
            reason=body.reason,
            store=store,
        )
    except AppError as exc:
        return voucher_page(request, session, principal, voucher_id, error=exc, values=form)
    return RedirectResponse(f"/finance/vouchers/{voucher_id}?done=reversed", status_code=303)
