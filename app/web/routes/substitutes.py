"""Approval substitutes: an approver names who decides for them on which dates, and ends it.

Admins may name anyone's. Eligibility (an active approver of every entity of the approver) is the
substitute service's rule; its 422 comes back as words beside the field on the same form.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth import service as auth_service
from app.auth.models import Role
from app.auth.principal import Principal
from app.claims import substitutes
from app.claims.schemas import SubstituteCreate
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.dates import business_today
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.session import require_web_roles
from app.web.substitute_present import approvers, candidates, default_range, substitute_rows

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 100
SubstituteWebUser = Annotated[Principal, Depends(require_web_roles(Role.APPROVER, Role.ADMIN))]


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    today = business_today()
    rows, _ = substitutes.list_substitutes(session, principal, cursor=None, limit=PAGE_SIZE)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    context = {
        "rows": substitute_rows(rows, users, principal, today),
        "candidates": candidates(users, principal),
        "approvers": approvers(users),
        "values": values if values is not None else default_range(today),
        "done": request.query_params.get("done"),
    }
    # A refusal about a field is shown beside it; another kind in the box above the form.
    return render_form(
        request,
        "approvals/substitutes.html",
        principal,
        context,
        errors or FormErrors(),
        box_field_refusals=False,
    )


@router.get("/approval-substitutes")
def substitutes_page(
    request: Request, session: SessionDep, principal: SubstituteWebUser
) -> Response:
    return _page(request, session, principal)


@router.post("/approval-substitutes")
def name_substitute(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: SubstituteWebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    lang = request_lang(request)
    data, errors = parse_form(SubstituteCreate, form, lang)
    if data is None:
        return _page(request, session, principal, values=form, errors=errors)
    try:
        substitutes.create_substitute(session, principal, data, audit_key=audit_key(settings))
    except AppError as exc:
        return _page(request, session, principal, values=form, errors=refused(exc, lang))
    return RedirectResponse("/approval-substitutes?done=named", status_code=303)


@router.post("/approval-substitutes/{substitute_id}/end")
def end_substitute(
    session: SessionDep,
    settings: SettingsDep,
    principal: SubstituteWebUser,
    _csrf: CsrfChecked,
    substitute_id: uuid.UUID,
) -> Response:
    """Ends the arrangement by removing it; the audit log keeps when it was named and ended."""
    substitutes.delete_substitute(session, principal, substitute_id, audit_key=audit_key(settings))
    return RedirectResponse("/approval-substitutes?done=ended", status_code=303)
