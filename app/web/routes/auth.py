"""Login and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from app.auth import service
from app.config import SettingsDep
from app.db import SessionDep
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.i18n import request_lang
from app.web.present import problem_view
from app.web.session import (
    MaybeWebUser,
    WebUser,
    clear_session_cookie,
    set_session_cookie,
)
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, principal: MaybeWebUser, next: str | None = None) -> Response:
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        token, plaintext = service.login(
            session, username=username, password=password, settings=settings
        )
    except AppError as exc:
        context = {
            "next": _safe_next(next),
            "username": username,
            "error": problem_view(request_lang(request), exc),
            "locked_until": exc.extensions.get("locked_until"),
        }
        return render(request, "login.html", context, status_code=exc.status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, token, plaintext)
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: WebUser,
    _csrf: CsrfChecked,
) -> Response:
    service.revoke_current(session, principal=principal, settings=settings)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response
