"""Request and response bodies of the auth, user and token endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.auth.models import Role
from app.kit.text import Name, ShortText

Username = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$", to_lower=True
    ),
]
IdLast4 = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}[0-9Xx]$", to_upper=True)]
EmploymentType = Literal["contract", "dispatched", "other"]
# Deliberately plain: one @, no spaces, a dot in the domain; the mail server has the last word.
Email = Annotated[
    str,
    StringConstraints(
        min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", strip_whitespace=True
    ),
]
Language = Literal["zh-CN", "en"]


class _ProfileFields(BaseModel):
    """The profile fields a request may set, each optional; the employment type differs by use."""

    model_config = ConfigDict(extra="forbid")

    passenger_name: ShortText | None = None
    id_last4: IdLast4 | None = None
    grade: int | None = Field(default=None, ge=0, le=99)
    department: ShortText | None = None
    cost_centre: ShortText | None = None
    manager_id: uuid.UUID | None = None


class ProfileIn(_ProfileFields):
    employment_type: EmploymentType = "contract"


class ProfileOut(BaseModel):
    passenger_name: str | None
    id_last4: str | None
    grade: int | None
    department: str | None
    cost_centre: str | None
    manager_id: uuid.UUID | None
    employment_type: str


class ProfilePatch(_ProfileFields):
    """Profile fields to change; a field left out stays, a null clears it."""

    employment_type: EmploymentType | None = None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    display_name: Name
    password: str | None = Field(default=None, min_length=8, max_length=256)
    roles: list[Role] = Field(min_length=1, max_length=5)
    entity_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    is_service: bool = False
    email: Email | None = None
    language: Language = "zh-CN"
    profile: ProfileIn | None = None


class UserUpdate(BaseModel):
    """PATCH /users/{id} (admins): only the fields sent change; `profile` is patched likewise.

    `entities` and `active` are the SPEC's names; `entity_ids` and `is_active`, as in the user
    JSON, are accepted too."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    display_name: Name | None = None
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=5)
    entities: list[uuid.UUID] | None = Field(
        default=None, max_length=50, validation_alias=AliasChoices("entities", "entity_ids")
    )
    active: bool | None = Field(default=None, validation_alias=AliasChoices("active", "is_active"))
    email: Email | None = None
    language: Language | None = None
    profile: ProfilePatch | None = None

    @model_validator(mode="after")
    def _required_fields_not_cleared(self) -> UserUpdate:
        cleared = [
            name
            for name in ("display_name", "roles", "entities", "active", "language", "profile")
            if name in self.model_fields_set and getattr(self, name) is None
        ]
        if cleared:
            raise ValueError(f"cannot be null: {', '.join(cleared)}")
        return self


class PasswordChange(BaseModel):
    """POST /users/{id}/password: admins set one; a user changing their own sends the current."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=8, max_length=256)
    current_password: str | None = Field(default=None, max_length=256)


class UserOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    roles: list[str]
    is_active: bool
    is_service: bool
    email: str | None
    language: str
    entity_ids: list[uuid.UUID]
    profile: ProfileOut | None
    created_at: dt.datetime


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: dt.datetime | None


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    user_id: uuid.UUID | None = Field(
        default=None, description="Service user the token acts as (admins only); default: you"
    )
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiTokenOut(BaseModel):
    id: uuid.UUID
    name: str
    user_id: uuid.UUID
    created_at: dt.datetime
    expires_at: dt.datetime | None
    token: str = Field(description="Shown once; only its SHA-256 is stored")
