"""Administration pages: users, legal entities and API tokens (a new token is shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.auth import service as auth_service
from app.auth.models import Role
from app.auth.schemas import UserCreate
from app.config import SettingsDep
from app.db import SessionDep
from app.entities import service as entity_service
from app.entities.schemas import EntityCreate
from app.kit.pagination import CursorQuery
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.session import AdminWebUser

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50
PROFILE_FIELDS = (
    "passenger_name",
    "id_last4",
    "grade",
    "department",
    "cost_centre",
    "manager_id",
    "employment_type",
)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if v]
    return [value] if value else []


def user_payload(form: dict[str, Any]) -> dict[str, Any]:
    """The flat user form as UserCreate's shape: lists for checkboxes, a nested profile."""
    payload: dict[str, Any] = {
        key: form[key] for key in ("username", "display_name", "password") if form.get(key)
    }
    payload["roles"] = _as_list(form.get("roles"))
    payload["entity_ids"] = _as_list(form.get("entity_ids"))
    profile = {key: form[key] for key in PROFILE_FIELDS if form.get(key)}
    if set(profile) - {"employment_type"}:
        payload["profile"] = profile
    return payload


def _users_page(
    request: Request,
    session: SessionDep,
    principal: AdminWebUser,
    cursor: str | None,
    values: dict[str, Any],
    errors: FormErrors,
) -> Response:
    users, next_cursor = auth_service.list_users(session, cursor=cursor, limit=PAGE_SIZE)
    entities, _ = entity_service.list_entities(session, principal=principal, cursor=None, limit=200)
    context = {
        "users": users,
        "next_cursor": next_cursor,
        "entities": entities,
        "entity_names": {e.id: e.name for e in entities},
        "roles_all": [r.value for r in Role],
        "values": values,
        "created": request.query_params.get("created"),
    }
    return render_form(request, "admin/users.html", principal, context, errors)


@router.get("/admin/users")
def users_page(
    request: Request, session: SessionDep, principal: AdminWebUser, cursor: CursorQuery = None
) -> Response:
    return _users_page(request, session, principal, cursor, {}, FormErrors())


@router.post("/admin/users")
def create_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    data, errors = parse_form(UserCreate, user_payload(form), request_lang(request))
    if data is None:
        return _users_page(request, session, principal, None, form, errors)
    try:
        user = auth_service.create_user(session, data, actor=principal.user, settings=settings)
    except AppError as exc:
        return _users_page(
            request, session, principal, None, form, refused(exc, request_lang(request))
        )
    return RedirectResponse(f"/admin/users?created={user.username}", status_code=303)


def _entities_page(
    request: Request,
    session: SessionDep,
    principal: AdminWebUser,
    values: dict[str, Any],
    errors: FormErrors,
) -> Response:
    entities, next_cursor = entity_service.list_entities(
        session, principal=principal, cursor=request.query_params.get("cursor"), limit=PAGE_SIZE
    )
    context = {
        "entities": entities,
        "next_cursor": next_cursor,
        "values": values,
    }
    return render_form(request, "admin/entities.html", principal, context, errors)


@router.get("/admin/entities")
def entities_page(request: Request, session: SessionDep, principal: AdminWebUser) -> Response:
    return _entities_page(request, session, principal, {}, FormErrors())


@router.post("/admin/entities")
def create_entity(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    data, errors = parse_form(EntityCreate, form, request_lang(request))
    if data is None:
        return _entities_page(request, session, principal, form, errors)
    try:
        entity_service.create_entity(session, data, actor=principal.user, settings=settings)
    except AppError as exc:
        return _entities_page(
            request, session, principal, form, refused(exc, request_lang(request))
        )
    return RedirectResponse("/admin/entities", status_code=303)
