"""Claims waiting for a deactivated approver, and handing each to another approver (admins).

Which claims wait and who may take them over are the claim service's rules; a refusal comes
back beside the claim it concerns.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth import service as auth_service
from app.auth.names import display_names
from app.auth.principal import Principal
from app.claims import queries, service
from app.claims.schemas import ReassignBody
from app.config import SettingsDep
from app.db import SessionDep
from app.ledger.queries import voucher_ids_by_claim
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.session import AdminWebUser
from app.web.substitute_present import approvers

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 100


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    failed: uuid.UUID | None = None,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    claims, _ = queries.list_claims(
        session,
        principal,
        state=None,
        awaiting_me=False,
        awaiting_inactive=True,
        cursor=None,
        limit=PAGE_SIZE,
        vouchers=voucher_ids_by_claim,
    )
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    people = {c.claimant for c in claims} | {c.awaiting_approver for c in claims}
    context = {
        "claims": claims,
        "names": display_names(session, people),
        "approvers": approvers(users),
        "failed": failed,
        "values": values or {},
        "done": request.query_params.get("done"),
    }
    # The box is for a refusal about the claim itself (no longer waiting, say), not a field.
    return render_form(
        request,
        "admin/reassign.html",
        principal,
        context,
        errors or FormErrors(),
        box_field_refusals=False,
    )


@router.get("/admin/reassign")
def waiting_claims(request: Request, session: SessionDep, principal: AdminWebUser) -> Response:
    return _page(request, session, principal)


@router.post("/admin/reassign/{claim_id}")
def reassign(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    claim_id: uuid.UUID,
    form: FormFields,
) -> Response:
    lang = request_lang(request)
    body, errors = parse_form(ReassignBody, form, lang)
    if body is not None:
        actor = service.Actor(principal=principal, audit_key=audit_key(settings))
        try:
            service.reassign_approver(session, actor, claim_id, body.approver_id, body.level)
        except AppError as exc:
            if exc.status == 404:
                raise
            errors = refused(exc, lang)
    if errors:
        return _page(request, session, principal, failed=claim_id, values=form, errors=errors)
    return RedirectResponse("/admin/reassign?done=1", status_code=303)
