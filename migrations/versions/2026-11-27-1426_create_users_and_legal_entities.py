"""Create legal entities, users, employee profiles and bearer tokens.

Revision ID: 7d1120b5c15d
Revises:
Create Date: 2026-11-27 14:26:07.811517+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d1120b5c15d"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_service", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "legal_entity",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("taxpayer_type", sa.String(length=16), nullable=False),
        sa.Column("fonds_code", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "taxpayer_type IN ('general', 'small-scale')",
            name=op.f("ck_legal_entity_taxpayer_type_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_entity")),
        sa.UniqueConstraint("uscc", name=op.f("uq_legal_entity_uscc")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('session', 'api')", name=op.f("ck_api_token_kind_known")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_api_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)
    op.create_table(
        "employee_profile",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("passenger_name", sa.String(length=100), nullable=True),
        sa.Column("id_last4", sa.String(length=4), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("cost_centre", sa.String(length=64), nullable=True),
        sa.Column("manager_id", sa.Uuid(), nullable=True),
        sa.Column("employment_type", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "employment_type IN ('contract', 'dispatched', 'other')",
            name=op.f("ck_employee_profile_employment_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["app_user.id"],
            name=op.f("fk_employee_profile_manager_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_employee_profile_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_employee_profile")),
    )
    op.create_index(
        op.f("ix_employee_profile_manager_id"), "employee_profile", ["manager_id"], unique=False
    )
    op.create_index(
        op.f("ix_employee_profile_passenger_name"),
        "employee_profile",
        ["passenger_name"],
        unique=False,
    )
    op.create_table(
        "user_entity",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_user_entity_entity_id_legal_entity"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_entity_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "entity_id", name=op.f("pk_user_entity")),
    )


def downgrade() -> None:
    op.drop_table("user_entity")
    op.drop_index(op.f("ix_employee_profile_passenger_name"), table_name="employee_profile")
    op.drop_index(op.f("ix_employee_profile_manager_id"), table_name="employee_profile")
    op.drop_table("employee_profile")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_table("legal_entity")
    op.drop_table("app_user")
