"""API token pages: list, create (the plaintext is shown once, on the response page) and revoke."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import service as auth_service
from app.auth.schemas import ApiTokenCreate, UserOut
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors
from app.web.page_call import PageCall, WebPage, WebPost, see_other

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)


def _tokens_page(
    page: PageCall,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    new_token: str | None = None,
) -> Response:
    users: list[UserOut] = []
    if page.principal.is_admin:
        users, _ = auth_service.list_users(page.session, cursor=None, limit=200)
    context = {
        "tokens": auth_service.list_api_tokens(page.session, principal=page.principal),
        "users": users,
        "usernames": {u.id: u.username for u in users},
        "values": values or {},
        "new_token": new_token,
    }
    return render_form(page, "tokens.html", context, errors or FormErrors())


@router.get("/tokens")
def tokens_page(page: WebPage) -> Response:
    return _tokens_page(page)


@router.post("/tokens")
def create_token(post: WebPost) -> Response:
    def create(data: ApiTokenCreate) -> str:
        _row, plaintext = auth_service.create_api_token(
            post.session, principal=post.principal, data=data, settings=post.settings
        )
        return plaintext

    return post.submit(
        ApiTokenCreate,
        create,
        again=lambda errors: _tokens_page(post, values=post.form, errors=errors),
        # Rendered, not redirected: the token must never travel in a URL or sit in history.
        then=lambda plaintext: _tokens_page(post, new_token=plaintext),
    )


@router.post("/tokens/{token_id}/revoke")
def revoke_token(post: WebPost, token_id: uuid.UUID) -> Response:
    auth_service.revoke_token(
        post.session, principal=post.principal, token_id=token_id, settings=post.settings
    )
    return see_other("/tokens")
