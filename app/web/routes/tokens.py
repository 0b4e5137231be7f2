"""API token pages: list, create (the plaintext is shown once, on the response page) and revoke."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.auth import service as auth_service
from app.auth.schemas import ApiTokenCreate, UserOut
from app.config import SettingsDep
from app.db import SessionDep
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.session import WebUser

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)


def _tokens_page(
    request: Request,
    session: SessionDep,
    principal: WebUser,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    new_token: str | None = None,
) -> Response:
    users: list[UserOut] = []
    if principal.is_admin:
        users, _ = auth_service.list_users(session, cursor=None, limit=200)
    context = {
        "tokens": auth_service.list_api_tokens(session, principal=principal),
        "users": users,
        "usernames": {u.id: u.username for u in users},
        "values": values or {},
        "new_token": new_token,
    }
    return render_form(request, "tokens.html", principal, context, errors or FormErrors())


@router.get("/tokens")
def tokens_page(request: Request, session: SessionDep, principal: WebUser) -> Response:
    return _tokens_page(request, session, principal)


@router.post("/tokens")
def create_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: WebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    data, errors = parse_form(ApiTokenCreate, form, request_lang(request))
    if data is None:
        return _tokens_page(request, session, principal, values=form, errors=errors)
    try:
        _row, plaintext = auth_service.create_api_token(
            session, principal=principal, data=data, settings=settings
        )
    except AppError as exc:
        return _tokens_page(
            request, session, principal, values=form, errors=refused(exc, request_lang(request))
        )
    # Rendered, not redirected: the token must never travel in a URL or sit in history.
    return _tokens_page(request, session, principal, new_token=plaintext)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    session: SessionDep,
    settings: SettingsDep,
    principal: WebUser,
    _csrf: CsrfChecked,
    token_id: uuid.UUID,
) -> Response:
    auth_service.revoke_token(session, principal=principal, token_id=token_id, settings=settings)
    return RedirectResponse("/tokens", status_code=303)
