"""Create the ledger (periods, vouchers, lines, booked documents, postings, accounts), idempotency.

Revision ID: 61889ce81f5a
Revises: c9398adbfe3f
Create Date: 2026-11-27 14:56:22.826806+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "61889ce81f5a"
down_revision: str | None = "c9398adbfe3f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounting_period",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_accounting_period_status")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["app_user.id"],
            name=op.f("fk_accounting_period_closed_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_accounting_period_entity_id_legal_entity"),
        ),
        sa.PrimaryKeyConstraint("entity_id", "period", name=op.f("pk_accounting_period")),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("claimed_by", sa.Uuid(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_idempotency_record_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_record_user_id_key")),
    )
    op.create_table(
        "ledger_account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "role IN ('travel_expense', 'input_vat', 'payable', 'bank')",
            name=op.f("ck_ledger_account_role"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_ledger_account_entity_id_legal_entity"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
        sa.UniqueConstraint(
            "entity_id",
            "role",
            "department",
            name=op.f("uq_ledger_account_entity_id_role_department"),
        ),
    )
    op.create_index(
        op.f("ix_ledger_account_entity_id"), "ledger_account", ["entity_id"], unique=False
    )
    op.create_table(
        "journal_voucher",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("number_text", sa.String(length=24), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("attachments_count", sa.Integer(), nullable=False),
        sa.Column("prepared_by_id", sa.Uuid(), nullable=False),
        sa.Column("approved_by_id", sa.Uuid(), nullable=True),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("payment_reference", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('booking', 'payment', 'reversal')", name=op.f("ck_journal_voucher_kind")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["app_user.id"],
            name=op.f("fk_journal_voucher_approved_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_journal_voucher_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_journal_voucher_entity_id_legal_entity"),
        ),
        sa.ForeignKeyConstraint(
            ["prepared_by_id"],
            ["app_user.id"],
            name=op.f("fk_journal_voucher_prepared_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["journal_voucher.id"],
            name=op.f("fk_journal_voucher_reverses_id_journal_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_voucher")),
        sa.UniqueConstraint(
            "entity_id", "period", "number", name=op.f("uq_journal_voucher_entity_id_period_number")
        ),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_journal_voucher_reverses_id")),
    )
    op.create_index(
        op.f("ix_journal_voucher_claim_id"), "journal_voucher", ["claim_id"], unique=False
    )
    op.create_index(
        op.f("ix_journal_voucher_created_at"), "journal_voucher", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_journal_voucher_entity_id"), "journal_voucher", ["entity_id"], unique=False
    )
    op.create_index(
        op.f("ix_journal_voucher_updated_at"), "journal_voucher", ["updated_at"], unique=False
    )
    op.create_table(
        "booked_document",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("paper_voucher_id", sa.Uuid(), nullable=True),
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(invoice_id IS NULL) <> (paper_voucher_id IS NULL)",
            name=op.f("ck_booked_document_exactly_one_document"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_booked_document_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["paper_voucher_id"],
            ["paper_voucher.id"],
            name=op.f("fk_booked_document_paper_voucher_id_paper_voucher"),
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["journal_voucher.id"],
            name=op.f("fk_booked_document_voucher_id_journal_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booked_document")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_booked_document_invoice_id")),
        sa.UniqueConstraint("paper_voucher_id", name=op.f("uq_booked_document_paper_voucher_id")),
    )
    op.create_index(
        op.f("ix_booked_document_voucher_id"), "booked_document", ["voucher_id"], unique=False
    )
    op.create_table(
        "claim_posting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('booking', 'payment')", name=op.f("ck_claim_posting_kind")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_claim_posting_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_posting_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["journal_voucher.id"],
            name=op.f("fk_claim_posting_voucher_id_journal_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_posting")),
        sa.UniqueConstraint("claim_id", "kind", name=op.f("uq_claim_posting_claim_id_kind")),
    )
    op.create_table(
        "journal_line",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_code", sa.String(length=32), nullable=False),
        sa.Column("account_name", sa.String(length=100), nullable=False),
        sa.Column("debit", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("credit", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("cost_centre", sa.String(length=64), nullable=True),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("paper_voucher_id", sa.Uuid(), nullable=True),
        sa.Column("tax_basis", sa.String(length=12), nullable=True),
        sa.CheckConstraint("debit = 0 OR credit = 0", name=op.f("ck_journal_line_one_side")),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_journal_line_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["paper_voucher_id"],
            ["paper_voucher.id"],
            name=op.f("fk_journal_line_paper_voucher_id_paper_voucher"),
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["journal_voucher.id"],
            name=op.f("fk_journal_line_voucher_id_journal_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_line")),
        sa.UniqueConstraint(
            "voucher_id", "line_no", name=op.f("uq_journal_line_voucher_id_line_no")
        ),
    )
    op.create_index(
        op.f("ix_journal_line_invoice_id"), "journal_line", ["invoice_id"], unique=False
    )
    op.create_index(
        op.f("ix_journal_line_paper_voucher_id"), "journal_line", ["paper_voucher_id"], unique=False
    )
    op.create_index(
        op.f("ix_journal_line_voucher_id"), "journal_line", ["voucher_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_journal_line_voucher_id"), table_name="journal_line")
    op.drop_index(op.f("ix_journal_line_paper_voucher_id"), table_name="journal_line")
    op.drop_index(op.f("ix_journal_line_invoice_id"), table_name="journal_line")
    op.drop_table("journal_line")
    op.drop_table("claim_posting")
    op.drop_index(op.f("ix_booked_document_voucher_id"), table_name="booked_document")
    op.drop_table("booked_document")
    op.drop_index(op.f("ix_journal_voucher_updated_at"), table_name="journal_voucher")
    op.drop_index(op.f("ix_journal_voucher_entity_id"), table_name="journal_voucher")
    op.drop_index(op.f("ix_journal_voucher_created_at"), table_name="journal_voucher")
    op.drop_index(op.f("ix_journal_voucher_claim_id"), table_name="journal_voucher")
    op.drop_table("journal_voucher")
    op.drop_index(op.f("ix_ledger_account_entity_id"), table_name="ledger_account")
    op.drop_table("ledger_account")
    op.drop_table("idempotency_record")
    op.drop_table("accounting_period")
