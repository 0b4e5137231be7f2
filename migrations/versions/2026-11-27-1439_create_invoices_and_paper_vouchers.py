"""Create invoices, their file renditions, ticket holds and paper vouchers.

Revision ID: 90dece318958
Revises: b6b2df649c7e
Create Date: 2026-11-27 14:39:57.280296+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "90dece318958"
down_revision: str | None = "b6b2df649c7e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_hold",
        sa.Column("ticket_key", sa.String(length=100), nullable=False),
        sa.Column("medium", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("medium IN ('e-invoice', 'paper')", name=op.f("ck_ticket_hold_medium")),
        sa.PrimaryKeyConstraint("ticket_key", name=op.f("pk_ticket_hold")),
    )
    op.create_table(
        "invoice",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_number", sa.String(length=20), nullable=False),
        sa.Column("business_type", sa.String(length=12), nullable=False),
        sa.Column("is_red_letter", sa.Boolean(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("train_number", sa.String(length=16), nullable=True),
        sa.Column("departure_station", sa.String(length=32), nullable=True),
        sa.Column("arrival_station", sa.String(length=32), nullable=True),
        sa.Column("travel_date", sa.Date(), nullable=True),
        sa.Column("departure_time", sa.Time(), nullable=True),
        sa.Column("seat_class", sa.String(length=16), nullable=True),
        sa.Column("carriage", sa.String(length=8), nullable=True),
        sa.Column("seat", sa.String(length=16), nullable=True),
        sa.Column("fare", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("amount_excluding_tax", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("tax_rate", sa.Numeric(precision=6, scale=4), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("e_ticket_number", sa.String(length=64), nullable=True),
        sa.Column("ticket_key", sa.String(length=100), nullable=True),
        sa.Column("passenger_name", sa.String(length=100), nullable=True),
        sa.Column("passenger_id_masked", sa.String(length=32), nullable=True),
        sa.Column("buyer_name", sa.String(length=200), nullable=True),
        sa.Column("buyer_tax_id", sa.String(length=32), nullable=True),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("original_invoice_number", sa.String(length=20), nullable=True),
        sa.Column("original_invoice_id", sa.Uuid(), nullable=True),
        sa.Column("voided_by_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("xbrl_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verification", sa.String(length=16), nullable=False),
        sa.Column("verification_message", sa.String(length=500), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deduction_confirmed_on", sa.Date(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "business_type IN ('sale', 'refund', 'change', 'difference')",
            name=op.f("ck_invoice_business_type"),
        ),
        sa.CheckConstraint("source IN ('xbrl', 'text')", name=op.f("ck_invoice_source")),
        sa.CheckConstraint(
            "status IN ('available', 'claimed', 'booked', 'void')", name=op.f("ck_invoice_status")
        ),
        sa.CheckConstraint(
            "verification IN ('verified', 'mismatch', 'unverified', 'failed')",
            name=op.f("ck_invoice_verification"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["legal_entity.id"], name=op.f("fk_invoice_entity_id_legal_entity")
        ),
        sa.ForeignKeyConstraint(
            ["original_invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_original_invoice_id_invoice"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_invoice_owner_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_invoice_uploaded_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["invoice.id"], name=op.f("fk_invoice_voided_by_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("invoice_number", name=op.f("uq_invoice_invoice_number")),
    )
    op.create_index(op.f("ix_invoice_created_at"), "invoice", ["created_at"], unique=False)
    op.create_index(op.f("ix_invoice_entity_id"), "invoice", ["entity_id"], unique=False)
    op.create_index(
        op.f("ix_invoice_original_invoice_number"),
        "invoice",
        ["original_invoice_number"],
        unique=False,
    )
    op.create_index(op.f("ix_invoice_owner_id"), "invoice", ["owner_id"], unique=False)
    op.create_index(op.f("ix_invoice_status"), "invoice", ["status"], unique=False)
    op.create_index(op.f("ix_invoice_ticket_key"), "invoice", ["ticket_key"], unique=False)
    op.create_index(op.f("ix_invoice_train_number"), "invoice", ["train_number"], unique=False)
    op.create_index(op.f("ix_invoice_travel_date"), "invoice", ["travel_date"], unique=False)
    op.create_table(
        "paper_voucher",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("serial_number", sa.String(length=64), nullable=False),
        sa.Column("e_ticket_number", sa.String(length=64), nullable=False),
        sa.Column("ticket_key", sa.String(length=100), nullable=False),
        sa.Column("travel_date", sa.Date(), nullable=False),
        sa.Column("train_number", sa.String(length=16), nullable=False),
        sa.Column("departure_station", sa.String(length=32), nullable=False),
        sa.Column("arrival_station", sa.String(length=32), nullable=False),
        sa.Column("seat_class", sa.String(length=16), nullable=False),
        sa.Column("fare", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("passenger_name", sa.String(length=100), nullable=False),
        sa.Column("passenger_id_masked", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("received_by_id", sa.Uuid(), nullable=True),
        sa.Column("scan_sha256", sa.String(length=64), nullable=True),
        sa.Column("scan_content_type", sa.String(length=100), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('available', 'claimed', 'booked', 'void')",
            name=op.f("ck_paper_voucher_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_paper_voucher_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["legal_entity.id"], name=op.f("fk_paper_voucher_entity_id_legal_entity")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_paper_voucher_owner_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"],
            ["app_user.id"],
            name=op.f("fk_paper_voucher_received_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_voucher")),
        sa.UniqueConstraint("serial_number", name=op.f("uq_paper_voucher_serial_number")),
        sa.UniqueConstraint("ticket_key", name=op.f("uq_paper_voucher_ticket_key")),
    )
    op.create_index(
        op.f("ix_paper_voucher_created_at"), "paper_voucher", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_paper_voucher_entity_id"), "paper_voucher", ["entity_id"], unique=False
    )
    op.create_index(op.f("ix_paper_voucher_owner_id"), "paper_voucher", ["owner_id"], unique=False)
    op.create_table(
        "invoice_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('pdf', 'ofd', 'xml')", name=op.f("ck_invoice_file_kind")),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_file_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_file")),
        sa.UniqueConstraint("invoice_id", "kind", name=op.f("uq_invoice_file_invoice_id_kind")),
        sa.UniqueConstraint("sha256", name=op.f("uq_invoice_file_sha256")),
    )
    op.create_index(
        op.f("ix_invoice_file_invoice_id"), "invoice_file", ["invoice_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_invoice_file_invoice_id"), table_name="invoice_file")
    op.drop_table("invoice_file")
    op.drop_index(op.f("ix_paper_voucher_owner_id"), table_name="paper_voucher")
    op.drop_index(op.f("ix_paper_voucher_entity_id"), table_name="paper_voucher")
    op.drop_index(op.f("ix_paper_voucher_created_at"), table_name="paper_voucher")
    op.drop_table("paper_voucher")
    op.drop_index(op.f("ix_invoice_travel_date"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_train_number"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_ticket_key"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_status"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_owner_id"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_original_invoice_number"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_entity_id"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_created_at"), table_name="invoice")
    op.drop_table("invoice")
    op.drop_table("ticket_hold")
