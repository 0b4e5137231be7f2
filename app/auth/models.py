"""Tables of users, their entity memberships, employee profiles and bearer tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Role(StrEnum):
    EMPLOYEE = "employee"
    APPROVER = "approver"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"


EMPLOYMENT_TYPES = ("contract", "dispatched", "other")
# The languages a user reads notifications in; the web's cookie switch is separate.
LANGUAGES = ("zh-CN", "en")


class User(SQLModel, table=True):
    # "user" is reserved in PostgreSQL; a prefixed name keeps raw SQL free of quoting.
    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_active: bool = True
    is_service: bool = False
    # Where notifications go (none: the user gets none), and in which language.
    email: str | None = Field(default=None, max_length=254)
    language: str = Field(
        default="zh-CN", max_length=8, sa_column_kwargs={"server_default": "zh-CN"}
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def has_role(self, *roles: Role) -> bool:
        return any(role.value in self.roles for role in roles)


class LoginThrottle(SQLModel, table=True):
    """Recent failed logins of one username tried, whether or not such a user exists."""

    __tablename__ = "login_throttle"

    name_sha256: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failed_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserEntity(SQLModel, table=True):
    """Which legal entities a user works for (one or more)."""

    __tablename__ = "user_entity"

    user_id: uuid.UUID = Field(
        sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], primary_key=True
    )
    entity_id: uuid.UUID = Field(
        sa_column_args=[ForeignKey("legal_entity.id", ondelete="RESTRICT")], primary_key=True
    )


class EmployeeProfile(SQLModel, table=True):
    """How an employee appears on tickets, and where they sit in the organisation."""

    __tablename__ = "employee_profile"
    __table_args__ = (
        CheckConstraint(
            "employment_type IN ('contract', 'dispatched', 'other')", name="employment_type_known"
        ),
    )

    user_id: uuid.UUID = Field(
        sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], primary_key=True
    )
    passenger_name: str | None = Field(default=None, max_length=100, index=True)
    id_last4: str | None = Field(default=None, max_length=4)
    grade: int | None = None
    department: str | None = Field(default=None, max_length=100)
    cost_centre: str | None = Field(default=None, max_length=64)
    manager_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("app_user.id", ondelete="SET NULL")], index=True
    )
    employment_type: str = Field(default="contract", max_length=16)


class ApiToken(SQLModel, table=True):
    """A bearer credential: a login session or a long-lived system token; only its hash is kept."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint("kind IN ('session', 'api')", name="kind_known"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], index=True
    )
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    token_sha256: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
