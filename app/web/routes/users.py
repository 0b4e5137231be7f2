"""Administering one user: edit their fields and profile, set a password, deactivate or reactivate
them after a confirmation step. The rules and the audit trail are the user service's."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import service as auth_service
from app.auth import user_admin
from app.auth.models import Role
from app.auth.schemas import PasswordChange, UserUpdate
from app.claims import queries as claim_queries
from app.entities import service as entity_service
from app.problems import AppError
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_refusal
from app.web.forms import FormErrors, refused
from app.web.page_call import AdminPage, AdminPost, FormPost, PageCall, see_other
from app.web.present import problem_view
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
    page: PageCall,
    user_id: uuid.UUID,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    password: FormErrors | None = None,
) -> Response:
    session = page.session
    user = user_admin.get_user(session, user_id)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    entities, _ = entity_service.list_entities(
        session, principal=page.principal, cursor=None, limit=200
    )
    errors, password = errors or FormErrors(), password or FormErrors()
    failed = errors.problem or password.problem
    # A refusal about fields is shown beside them; only another kind needs the box on top.
    boxed = failed if failed and not (errors.fields or password.fields) else None
    context = {
        "target": user,
        "values": values if values is not None else edit_values(user),
        "errors": errors.fields,
        "password_errors": password.fields,
        "problem": problem_view(page.lang, boxed) if boxed else None,
        "entities": entities,
        "roles_all": [r.value for r in Role],
        "managers": [u for u in users if u.id != user.id],
        "employment_types": EMPLOYMENT_TYPES,
        "done": page.query("done"),
    }
    status_code = failed.status if failed else (422 if errors or password else 200)
    return page.render("admin/user_edit.html", context, status_code=status_code)


@router.get("/admin/users/{user_id}")
def edit_user_page(page: AdminPage, user_id: uuid.UUID) -> Response:
    return _edit_page(page, user_id)


@router.post("/admin/users/{user_id}")
def update_user(post: AdminPost, user_id: uuid.UUID) -> Response:
    data, errors = post.parse(UserUpdate, update_payload(post.form))
    errors.fields.update(blank_display_name(post.form, post.lang).fields)
    if data is None or errors:
        return _edit_page(post, user_id, values=post.form, errors=_flat(errors))
    try:
        user_admin.update_user(
            post.session, user_id, data, admin=post.principal, settings=post.settings
        )
    except AppError as exc:
        refusal = _flat(refused(exc, post.lang))
        return _edit_page(post, user_id, values=post.form, errors=refusal)
    return see_other(f"/admin/users/{user_id}?done=saved")


@router.post("/admin/users/{user_id}/password")
def set_password(post: AdminPost, user_id: uuid.UUID) -> Response:
    data, errors = post.parse(PasswordChange, {"password": post.form.get("password", "")})
    errors.fields.update(password_errors(post.form, post.lang).fields)
    if data is None or errors:
        return _edit_page(post, user_id, password=errors)
    try:
        user_admin.set_password(
            post.session, user_id, data, principal=post.principal, settings=post.settings
        )
    except AppError as exc:
        return _edit_page(post, user_id, password=refused(exc, post.lang))
    return see_other(f"/admin/users/{user_id}?done=password")


def _confirm_page(
    page: PageCall, user_id: uuid.UUID, *, active: bool, error: AppError | None = None
) -> Response:
    context = {
        "target": user_admin.get_user(page.session, user_id),
        "activate": active,
        "confirmed": CONFIRMED,
        # The rule the service named, in words (e.g. an admin deactivating themselves).
        "reasons": list(refused(error, page.lang).fields.values()) if error else [],
        "waiting": claim_queries.count_waiting_for(page.session, user_id),
    }
    return render_refusal(page, "admin/user_confirm.html", context, error)


def _set_active(post: FormPost, user_id: uuid.UUID, *, active: bool) -> Response:
    if post.form.get("confirm") != CONFIRMED:
        return _confirm_page(post, user_id, active=active)
    try:
        user_admin.update_user(
            post.session,
            user_id,
            UserUpdate(active=active),
            admin=post.principal,
            settings=post.settings,
        )
    except AppError as exc:
        return _confirm_page(post, user_id, active=active, error=exc)
    done = "reactivated" if active else "deactivated"
    return see_other(f"/admin/users/{user_id}?done={done}")


def _add_activation_pages(change: str, *, active: bool) -> None:
    """The confirmation page of `change` (deactivate or reactivate) and the post it sends."""

    def confirm(page: AdminPage, user_id: uuid.UUID) -> Response:
        return _confirm_page(page, user_id, active=active)

    def change_user(post: AdminPost, user_id: uuid.UUID) -> Response:
        return _set_active(post, user_id, active=active)

    path = f"/admin/users/{{user_id}}/{change}"
    router.add_api_route(path, confirm, methods=["GET"], name=f"confirm_{change}")
    router.add_api_route(path, change_user, methods=["POST"], name=f"{change}_user")


_add_activation_pages("deactivate", active=False)
_add_activation_pages("reactivate", active=True)
