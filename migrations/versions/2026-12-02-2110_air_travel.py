"""Air e-itineraries (SPEC "Air travel"): the invoice's kind, its 合计 and air amounts, its flight
segments, paper itineraries, and each entity's cabin-letter table.

Every existing invoice and paper voucher is a railway one (`kind` defaults to 'railway') and its
`total_amount` (价税合计) is its fare. The segments are a JSON list on the invoice row, not a
child table: they are facts printed on the invoice, never changed and never queried on their own,
and every reader (the invoice JSON, lists, policy, the archive and exports) wants them with the
row, so a table would cost one more query per page and one more insert per upload.
`total_amount` stays nullable in the schema: SQLite can tighten a column only by rebuilding the
table, which the files, holds, claim items and journal lines pointing at invoices forbid with
foreign keys on; the code always writes it. For the same reason a paper itinerary keeps an empty
`train_number` and names its flight in `flight_number`.

Revision ID: c18a00002110
Revises: c17a00001910
Create Date: 2026-12-02 21:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c18a00002110"
down_revision: str | None = "c17a00001910"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND_CHECK = "kind IN ('railway', 'air')"


def _money(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(14, 2), nullable=True)


def _add_kind(table: str) -> None:
    op.add_column(
        table,
        sa.Column("kind", sa.String(length=8), nullable=False, server_default="railway"),
    )
    # Added on its own, not in batch mode: SQLite would rebuild the table to add a CHECK.
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(op.f(f"ck_{table}_kind"), table, KIND_CHECK)


def upgrade() -> None:
    _add_kind("invoice")
    op.add_column("invoice", _money("total_amount"))
    op.add_column("invoice", _money("fuel_surcharge"))
    op.add_column("invoice", _money("civil_aviation_fund"))
    op.add_column("invoice", _money("other_taxes"))
    op.add_column("invoice", sa.Column("domestic", sa.Boolean(), nullable=True))
    op.add_column("invoice", sa.Column("segments", sa.JSON(), nullable=False, server_default="[]"))
    op.execute("UPDATE invoice SET total_amount = fare")
    op.create_index("ix_invoice_kind_created_at_id", "invoice", ["kind", "created_at", "id"])

    _add_kind("paper_voucher")
    op.add_column("paper_voucher", sa.Column("flight_number", sa.String(length=16), nullable=True))
    op.add_column("paper_voucher", _money("fuel_surcharge"))
    op.add_column("paper_voucher", _money("civil_aviation_fund"))
    op.add_column("paper_voucher", _money("other_taxes"))

    op.create_table(
        "cabin_table",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("economy", sa.String(length=26), nullable=False),
        sa.Column("business", sa.String(length=26), nullable=False),
        sa.Column("first", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_cabin_table_entity_id_legal_entity"),
        ),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_cabin_table")),
    )


def downgrade() -> None:
    op.drop_table("cabin_table")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for column in ("other_taxes", "civil_aviation_fund", "fuel_surcharge", "flight_number"):
        op.drop_column("paper_voucher", column)
    if postgresql:
        op.drop_constraint(op.f("ck_paper_voucher_kind"), "paper_voucher", type_="check")
    op.drop_column("paper_voucher", "kind")
    op.drop_index("ix_invoice_kind_created_at_id", table_name="invoice")
    for column in (
        "segments",
        "domestic",
        "other_taxes",
        "civil_aviation_fund",
        "fuel_surcharge",
        "total_amount",
    ):
        op.drop_column("invoice", column)
    if postgresql:
        op.drop_constraint(op.f("ck_invoice_kind"), "invoice", type_="check")
    op.drop_column("invoice", "kind")
