"""HTTP endpoints for login, users and API tokens."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.deps import AdminUser, CurrentUser
from app.auth.schemas import ApiTokenCreate, ApiTokenOut, TokenOut, UserCreate, UserOut
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery, LimitQuery, Page

router = APIRouter()


@router.post("/auth/token", tags=["auth"])
def issue_login_token(
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenOut:
    row, plaintext = service.login(
        session, username=form.username, password=form.password, settings=settings
    )
    return TokenOut(access_token=plaintext, expires_at=row.expires_at)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
def logout(session: SessionDep, settings: SettingsDep, principal: CurrentUser) -> Response:
    service.revoke_current(session, principal=principal, settings=settings)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users/me", tags=["users"])
def read_me(session: SessionDep, principal: CurrentUser) -> UserOut:
    return service.user_out(session, principal.user)


@router.get("/users", tags=["users"])
def list_users(
    session: SessionDep, _admin: AdminUser, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[UserOut]:
    items, next_cursor = service.list_users(session, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/users", status_code=status.HTTP_201_CREATED, tags=["users"])
def create_user(
    session: SessionDep, settings: SettingsDep, admin: AdminUser, data: UserCreate
) -> UserOut:
    return service.create_user(session, data, actor=admin.user, settings=settings)


@router.post("/tokens", status_code=status.HTTP_201_CREATED, tags=["tokens"])
def create_token(
    session: SessionDep, settings: SettingsDep, principal: CurrentUser, data: ApiTokenCreate
) -> ApiTokenOut:
    row, plaintext = service.create_api_token(
        session, principal=principal, data=data, settings=settings
    )
    return ApiTokenOut(
        id=row.id,
        name=row.name,
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        token=plaintext,
    )


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["tokens"])
def revoke_token(
    session: SessionDep, settings: SettingsDep, principal: CurrentUser, token_id: uuid.UUID
) -> Response:
    service.revoke_token(session, principal=principal, token_id=token_id, settings=settings)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
