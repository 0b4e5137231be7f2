"""Add the invoice list indexes: (owner|entity|status, created_at, id), and trigram indexes for q.

Every list is newest first over (created_at, id). With the filter's column in front, PostgreSQL
walks one index in order and stops after a page, at any table size (docs/BENCHMARKS.md, "Lists
at a million invoices"); the composites replace the single-column indexes they start with.
`q` is a case-insensitive substring (ILIKE '%q%') over four columns, which no b-tree serves: on
PostgreSQL, pg_trgm GIN indexes do (a BitmapOr of the four). They are PostgreSQL-only and kept
out of the models; migrations/env.py leaves `*_trgm` indexes out of the drift comparison.

Revision ID: c4f1e2a9b7d3
Revises: 1382b24c09a7
Create Date: 2026-11-27 16:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c4f1e2a9b7d3"
down_revision: str | None = "1382b24c09a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPOSITES = ("owner_id", "entity_id", "status")
TRIGRAM_COLUMNS = ("invoice_number", "train_number", "departure_station", "arrival_station")


def upgrade() -> None:
    for column in COMPOSITES:
        op.create_index(
            op.f(f"ix_invoice_{column}_created_at_id"), "invoice", [column, "created_at", "id"]
        )
        op.drop_index(op.f(f"ix_invoice_{column}"), table_name="invoice")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in TRIGRAM_COLUMNS:
            op.create_index(
                f"ix_invoice_{column}_trgm",
                "invoice",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.drop_index(f"ix_invoice_{column}_trgm", table_name="invoice")
        # The extension stays: other objects of the database may use it.
    for column in COMPOSITES:
        op.create_index(op.f(f"ix_invoice_{column}"), "invoice", [column])
        op.drop_index(op.f(f"ix_invoice_{column}_created_at_id"), table_name="invoice")
