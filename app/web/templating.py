"""Jinja2 rendering: autoescaped templates with the user, language, CSRF token and navigation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from app.auth.principal import Principal
from app.kit.dates import BUSINESS_TZ
from app.web.csrf import CSRF_FIELD, csrf_token, plant_presession
from app.web.i18n import LANG_COOKIE, request_lang, translator
from app.web.nav import nav_for

TEMPLATE_DIR = Path(__file__).parent / "templates"


def format_money(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return "—"
    return f"¥{Decimal(value):,.2f}"


ROLE_LABELS = {
    "employee": "员工",
    "approver": "审批人",
    "finance": "财务",
    "auditor": "审计",
    "admin": "管理员",
}


def _local_time(value: dt.datetime | None) -> str:
    # Timestamps are stored in UTC; people read them in China's business time zone.
    if value is None:
        return "—"
    return value.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


def _query(request: Request, **changes: object) -> str:
    """The current query string with `changes` applied (None drops a key), for filter links."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["money"] = format_money
_environment.filters["local_time"] = _local_time
_environment.filters["role"] = lambda role: ROLE_LABELS.get(role, role)
templates = Jinja2Templates(env=_environment)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> Response:
    """A page: the template with the shared context; sets the language and pre-session cookies."""
    lang = request_lang(request)
    shared: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "_": translator(lang),
        "user": principal.user if principal else None,
        "roles": list(principal.user.roles) if principal else [],
        "nav": nav_for(principal, request.url.path),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "query": lambda **changes: _query(request, **changes),
    }
    response = templates.TemplateResponse(
        request, template, {**shared, **(context or {})}, status_code=status_code
    )
    # Pages that carry their own secrets (a new API token) or personal data are not cached.
    response.headers["Cache-Control"] = "no-store"
    if request.query_params.get("lang") and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/"
        )
    plant_presession(request, response)
    return response
