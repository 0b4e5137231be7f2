"""HTTP endpoints for login, users and API tokens."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service, user_admin
from app.auth.deps import AdminUser, CurrentUser
from app.auth.schemas import (
    ApiTokenCreate,
    ApiTokenOut,
    PasswordChange,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
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
    return Page.of(service.list_users(session, cursor=cursor, limit=limit))


@router.post("/users", status_code=status.HTTP_201_CREATED, tags=["users"])
def create_user(
    session: SessionDep, settings: SettingsDep, admin: AdminUser, data: UserCreate
) -> UserOut:
    return service.create_user(session, data, actor=admin.user, settings=settings)


@router.get("/users/{user_id}", tags=["users"])
def read_user(session: SessionDep, _admin: AdminUser, user_id: uuid.UUID) -> UserOut:
    return user_admin.get_user(session, user_id)


@router.patch("/users/{user_id}", tags=["users"])
def update_user(
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
    user_id: uuid.UUID,
    data: UserUpdate,
) -> UserOut:
    """Admins change a user; `active: false` ends every token and session of theirs at once."""
    return user_admin.update_user(session, user_id, data, admin=admin, settings=settings)


@router.post("/users/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, tags=["users"])
def set_password(
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentUser,
    user_id: uuid.UUID,
    data: PasswordChange,
) -> Response:
    """Admins set a password; users change their own with `current_password`."""
    user_admin.set_password(session, user_id, data, principal=principal, settings=settings)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


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
