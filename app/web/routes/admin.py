"""Administration pages: users, legal entities and API tokens (a new token is shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import service as auth_service
from app.auth.models import Role
from app.auth.schemas import UserCreate
from app.entities import service as entity_service
from app.entities.schemas import EntityCreate
from app.kit.pagination import CursorQuery
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors
from app.web.page_call import AdminPage, AdminPost, PageCall, see_other
from app.web.user_present import user_payload

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50


def _users_page(
    page: PageCall, cursor: str | None, values: dict[str, Any], errors: FormErrors
) -> Response:
    session = page.session
    users, next_cursor = auth_service.list_users(session, cursor=cursor, limit=PAGE_SIZE)
    entities, _ = entity_service.list_entities(
        session, principal=page.principal, cursor=None, limit=200
    )
    context = {
        "users": users,
        "next_cursor": next_cursor,
        "entities": entities,
        "entity_names": {e.id: e.name for e in entities},
        "roles_all": [r.value for r in Role],
        "values": values,
        "created": page.query("created"),
    }
    return render_form(page, "admin/users.html", context, errors)


@router.get("/admin/users")
def users_page(page: AdminPage, cursor: CursorQuery = None) -> Response:
    return _users_page(page, cursor, {}, FormErrors())


@router.post("/admin/users")
def create_user(post: AdminPost) -> Response:
    return post.submit(
        UserCreate,
        post.by_user(auth_service.create_user),
        again=lambda errors: _users_page(post, None, post.form, errors),
        then=lambda user: see_other(f"/admin/users?created={user.username}"),
        data=user_payload(post.form),
    )


def _entities_page(page: PageCall, values: dict[str, Any], errors: FormErrors) -> Response:
    entities, next_cursor = entity_service.list_entities(
        page.session, principal=page.principal, cursor=page.query("cursor"), limit=PAGE_SIZE
    )
    context = {"entities": entities, "next_cursor": next_cursor, "values": values}
    return render_form(page, "admin/entities.html", context, errors)


@router.get("/admin/entities")
def entities_page(page: AdminPage) -> Response:
    return _entities_page(page, {}, FormErrors())


@router.post("/admin/entities")
def create_entity(post: AdminPost) -> Response:
    return post.submit(
        EntityCreate,
        post.by_user(entity_service.create_entity),
        again=lambda errors: _entities_page(post, post.form, errors),
        then=lambda _entity: see_other("/admin/entities"),
    )
