"""archive_verify_checkpoint: where `archive verify --since-last` starts (the last full verify
that passed, sealed with the audit key).

Revision ID: c17a00001910
Revises: c17a00001900
Create Date: 2026-12-02 19:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c17a00001910"
down_revision: str | None = "c17a00001900"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_verify_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_mac", sa.String(length=64), nullable=False),
        sa.Column("archive_records", sa.Integer(), nullable=False),
        sa.Column("stored_files", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_verify_checkpoint")),
    )


def downgrade() -> None:
    op.drop_table("archive_verify_checkpoint")
