"""My account: changing my own password with the current one (the user service's rule)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.auth import user_admin
from app.auth.principal import Principal
from app.auth.schemas import PasswordChange
from app.config import SettingsDep
from app.db import SessionDep
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.session import WebUser
from app.web.templating import render
from app.web.user_present import password_errors

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)


def _page(request: Request, principal: Principal, errors: FormErrors | None = None) -> Response:
    errors = errors or FormErrors()
    context = {"errors": errors.fields, "done": request.query_params.get("done")}
    return render(
        request,
        "account/password.html",
        context,
        principal=principal,
        status_code=422 if errors else 200,
    )


@router.get("/account/password")
def password_page(request: Request, principal: WebUser) -> Response:
    return _page(request, principal)


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: WebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    lang = request_lang(request)
    fields = {k: form.get(k, "") for k in ("password", "current_password")}
    data, errors = parse_form(PasswordChange, fields, lang)
    errors.fields.update(password_errors(form, lang).fields)
    if data is not None and not errors:
        try:
            user_admin.set_password(
                session, principal.id, data, principal=principal, settings=settings
            )
        except AppError as exc:
            errors = refused(exc, lang)
    if errors:
        return _page(request, principal, errors)
    return RedirectResponse("/account/password?done=1", status_code=303)
