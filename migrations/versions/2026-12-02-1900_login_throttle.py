"""Failed logins counted per username tried, whether or not the user exists (SPEC hardening):
the login_throttle table replaces app_user.failed_logins and app_user.locked_until.

Running lockouts are not carried over: they end within the lockout window anyway.

Revision ID: c17a00001900
Revises: c16a00001020
Create Date: 2026-12-02 19:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c17a00001900"
down_revision: str | None = "c16a00001020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("name_sha256", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name_sha256", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_last_failed_at"), "login_throttle", ["last_failed_at"])
    # Plain DROP COLUMN on both engines (SQLite >= 3.35 drops in place): a batch rebuild of
    # app_user would drop a table that others point at, which SQLite refuses with foreign keys on.
    op.drop_column("app_user", "locked_until")
    op.drop_column("app_user", "failed_logins")


def downgrade() -> None:
    op.add_column(
        "app_user",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_login_throttle_last_failed_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
