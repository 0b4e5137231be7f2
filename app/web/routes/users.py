"""Administering one user: edit their fields and profile, set a password, deactivate or reactivate
them after a confirmation step. The rules and the audit trail are the user service's."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.auth import service as auth_service
from app.auth import user_admin
from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.schemas import PasswordChange, UserUpdate
from app.claims import queries as claim_queries
from app.config import SettingsDep
from app.db import SessionDep
from app.entities import service as entity_service
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.present import problem_view
from app.web.session import AdminWebUser
from app.web.templating import render
from app.web.user_present import (
    EMPLOYMENT_TYPES,
    blank_display_name,
    edit_values,
    password_errors,
    update_payload,
)

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
CONFIRMED = "yes"
# Service and model field names as the edit form's inputs are named.
_FORM_NAMES = {"entities": "entity_ids", "active": "form"}


def _flat(errors: FormErrors) -> FormErrors:
    fields = {}
    for name, message in errors.fields.items():
        name = name.removeprefix("profile.")
        fields[_FORM_NAMES.get(name, name)] = message
    return FormErrors(fields=fields, problem=errors.problem)


def _edit_page(
    request: Request,
    session: Session,
    principal: Principal,
    user_id: uuid.UUID,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    password: FormErrors | None = None,
) -> Response:
    user = user_admin.get_user(session, user_id)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    entities, _ = entity_service.list_entities(session, principal=principal, cursor=None, limit=200)
    errors, password = errors or FormErrors(), password or FormErrors()
    lang = request_lang(request)
    failed = errors.problem or password.problem
    # A refusal about fields is shown beside them; only another kind needs the box on top.
    boxed = failed if failed and not (errors.fields or password.fields) else None
    context = {
        "target": user,
        "values": values if values is not None else edit_values(user),
        "errors": errors.fields,
        "password_errors": password.fields,
        "problem": problem_view(lang, boxed) if boxed else None,
        "entities": entities,
        "roles_all": [r.value for r in Role],
        "managers": [u for u in users if u.id != user.id],
        "employment_types": EMPLOYMENT_TYPES,
        "done": request.query_params.get("done"),
    }
    status_code = failed.status if failed else (422 if errors or password else 200)
    return render(
        request, "admin/user_edit.html", context, principal=principal, status_code=status_code
    )


@router.get("/admin/users/{user_id}")
def edit_user_page(
    request: Request, session: SessionDep, principal: AdminWebUser, user_id: uuid.UUID
) -> Response:
    return _edit_page(request, session, principal, user_id)


@router.post("/admin/users/{user_id}")
def update_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    user_id: uuid.UUID,
    form: FormFields,
) -> Response:
    lang = request_lang(request)
    data, errors = parse_form(UserUpdate, update_payload(form), lang)
    errors.fields.update(blank_display_name(form, lang).fields)
    if data is None or errors:
        return _edit_page(request, session, principal, user_id, values=form, errors=_flat(errors))
    try:
        user_admin.update_user(session, user_id, data, admin=principal, settings=settings)
    except AppError as exc:
        refusal = _flat(refused(exc, lang))
        return _edit_page(request, session, principal, user_id, values=form, errors=refusal)
    return RedirectResponse(f"/admin/users/{user_id}?done=saved", status_code=303)


@router.post("/admin/users/{user_id}/password")
def set_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    user_id: uuid.UUID,
    form: FormFields,
) -> Response:
    lang = request_lang(request)
    fields = {"password": form.get("password", "")}
    data, errors = parse_form(PasswordChange, fields, lang)
    errors.fields.update(password_errors(form, lang).fields)
    if data is None or errors:
        return _edit_page(request, session, principal, user_id, password=errors)
    try:
        user_admin.set_password(session, user_id, data, principal=principal, settings=settings)
    except AppError as exc:
        return _edit_page(request, session, principal, user_id, password=refused(exc, lang))
    return RedirectResponse(f"/admin/users/{user_id}?done=password", status_code=303)


def _confirm_page(
    request: Request,
    session: Session,
    principal: Principal,
    user_id: uuid.UUID,
    *,
    active: bool,
    error: AppError | None = None,
) -> Response:
    user = user_admin.get_user(session, user_id)
    lang = request_lang(request)
    context = {
        "target": user,
        "activate": active,
        "confirmed": CONFIRMED,
        "problem": problem_view(lang, error) if error else None,
        # The rule the service named, in words (e.g. an admin deactivating themselves).
        "reasons": list(refused(error, lang).fields.values()) if error else [],
        "waiting": claim_queries.count_waiting_for(session, user_id),
    }
    status_code = error.status if error else 200
    return render(
        request, "admin/user_confirm.html", context, principal=principal, status_code=status_code
    )


def _set_active(
    request: Request,
    session: Session,
    settings: SettingsDep,
    principal: Principal,
    user_id: uuid.UUID,
    form: dict[str, Any],
    *,
    active: bool,
) -> Response:
    if form.get("confirm") != CONFIRMED:
        return _confirm_page(request, session, principal, user_id, active=active)
    try:
        user_admin.update_user(
            session, user_id, UserUpdate(active=active), admin=principal, settings=settings
        )
    except AppError as exc:
        return _confirm_page(request, session, principal, user_id, active=active, error=exc)
    done = "reactivated" if active else "deactivated"
    return RedirectResponse(f"/admin/users/{user_id}?done={done}", status_code=303)


def _add_activation_pages(change: str, *, active: bool) -> None:
    """The confirmation page of `change` (deactivate or reactivate) and the post it sends."""

    def confirm(
        request: Request, session: SessionDep, principal: AdminWebUser, user_id: uuid.UUID
    ) -> Response:
        return _confirm_page(request, session, principal, user_id, active=active)

    def change_user(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        principal: AdminWebUser,
        _csrf: CsrfChecked,
        user_id: uuid.UUID,
        form: FormFields,
    ) -> Response:
        return _set_active(request, session, settings, principal, user_id, form, active=active)

    path = f"/admin/users/{{user_id}}/{change}"
    router.add_api_route(path, confirm, methods=["GET"], name=f"confirm_{change}")
    router.add_api_route(path, change_user, methods=["POST"], name=f"{change}_user")


_add_activation_pages("deactivate", active=False)
_add_activation_pages("reactivate", active=True)
