"""Add invoice.search_text, what `q` searches, and index it instead of the four columns.

`q` was ILIKE '%q%' over the invoice number, the train number and both stations: a common term
(a train number prefix matching 2 % of rows) made PostgreSQL walk 16,000 rows newest first and
run four ILIKEs on each. The lower-cased concatenation, written by the database, needs one LIKE
(a twelfth of the cost per row), and one pg_trgm index replaces the four. See
docs/BENCHMARKS.md, "Lists at a million invoices". SQLite computes the column when read
(VIRTUAL): it has no trigram index to feed. On PostgreSQL the upgrade rewrites the table under an
exclusive lock and builds the index without CONCURRENTLY: on a large installation, run it in a
maintenance window.

Revision ID: 5a8c3e1f9d24
Revises: 7d2e9b41c6a8
Create Date: 2026-11-27 22:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a8c3e1f9d24"
down_revision: str | None = "7d2e9b41c6a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As app.invoices.models.SEARCH_TEXT when this migration was written (a migration never imports
# the models: they move on).
SEARCH_TEXT = (
    "lower(invoice_number || '\x1f' || coalesce(train_number, '') || '\x1f' "
    "|| coalesce(departure_station, '') || '\x1f' || coalesce(arrival_station, ''))"
)
OLD_TRIGRAM_COLUMNS = ("invoice_number", "train_number", "departure_station", "arrival_station")
TRIGRAM_INDEX = "ix_invoice_search_text_trgm"


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    # STORED on PostgreSQL, for its index; SQLite can add only a VIRTUAL column to a table.
    persisted = True if _on_postgresql() else None
    op.add_column(
        "invoice",
        sa.Column("search_text", sa.Text(), sa.Computed(SEARCH_TEXT, persisted=persisted)),
    )
    if _on_postgresql():
        op.create_index(
            TRIGRAM_INDEX,
            "invoice",
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )
        for column in OLD_TRIGRAM_COLUMNS:
            op.drop_index(f"ix_invoice_{column}_trgm", table_name="invoice")


def downgrade() -> None:
    if _on_postgresql():
        for column in OLD_TRIGRAM_COLUMNS:
            op.create_index(
                f"ix_invoice_{column}_trgm",
                "invoice",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
        op.drop_index(TRIGRAM_INDEX, table_name="invoice")
    # A plain DROP COLUMN on both engines (SQLite drops a VIRTUAL column in place): batch mode
    # would rebuild the table, and with foreign keys on SQLite refuses to drop an `invoice`
    # that files and holds point at.
    op.drop_column("invoice", "search_text")
