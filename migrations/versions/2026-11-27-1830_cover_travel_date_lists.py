"""Replace the travel_date index with one that covers a travel-date filtered invoice list.

(travel_date, entity_id, owner_id, status, created_at, id): a list filtered by travel dates
reads its window's keys from this index alone (visibility, status and the sort key are in it),
then loads one page of rows. The single-column index it replaces is its prefix. See
docs/BENCHMARKS.md, "Lists at a million invoices".

Revision ID: 7d2e9b41c6a8
Revises: c4f1e2a9b7d3
Create Date: 2026-11-27 18:30:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7d2e9b41c6a8"
down_revision: str | None = "c4f1e2a9b7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERING = "ix_invoice_travel_date_entity_id_owner_id_status_created_at_id"
COLUMNS = ["travel_date", "entity_id", "owner_id", "status", "created_at", "id"]


def upgrade() -> None:
    op.create_index(COVERING, "invoice", COLUMNS)
    op.drop_index(op.f("ix_invoice_travel_date"), table_name="invoice")


def downgrade() -> None:
    op.create_index(op.f("ix_invoice_travel_date"), "invoice", ["travel_date"])
    op.drop_index(COVERING, table_name="invoice")
