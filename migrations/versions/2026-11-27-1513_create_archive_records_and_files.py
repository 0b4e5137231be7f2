"""Create the archive: one record per journal voucher (档号, retention) and its files.

Triggers make both tables insert-only, except deletion after the retention end (会计档案管理办法):
a database superuser can drop them, which is why verify also checks content against the chain.

Revision ID: 1382b24c09a7
Revises: 61889ce81f5a
Create Date: 2026-11-27 15:13:20.535289+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1382b24c09a7"
down_revision: str | None = "61889ce81f5a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Business dates are Asia/Shanghai (UTC+8, no daylight saving).
PG_TRIGGERS = [
    """
    CREATE FUNCTION archive_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        kept_until date;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '% is insert-only: UPDATE refused', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_TABLE_NAME = 'archive_record' THEN
            kept_until := OLD.retention_until;
        ELSE
            SELECT retention_until INTO kept_until FROM archive_record WHERE id = OLD.record_id;
        END IF;
        IF kept_until >= (now() AT TIME ZONE 'Asia/Shanghai')::date THEN
            RAISE EXCEPTION '% is under retention until %: DELETE refused', TG_TABLE_NAME, kept_until
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END
    $$
    """,
    """
    CREATE TRIGGER archive_record_retained BEFORE UPDATE OR DELETE ON archive_record
    FOR EACH ROW EXECUTE FUNCTION archive_refuse_change()
    """,
    """
    CREATE TRIGGER archive_file_retained BEFORE UPDATE OR DELETE ON archive_file
    FOR EACH ROW EXECUTE FUNCTION archive_refuse_change()
    """,
]
PG_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS archive_file_retained ON archive_file",
    "DROP TRIGGER IF EXISTS archive_record_retained ON archive_record",
    "DROP FUNCTION IF EXISTS archive_refuse_change()",
]
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER archive_record_no_update BEFORE UPDATE ON archive_record
    BEGIN SELECT RAISE(ABORT, 'archive_record is insert-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER archive_record_retained BEFORE DELETE ON archive_record
    WHEN OLD.retention_until >= date('now', '+8 hours')
    BEGIN SELECT RAISE(ABORT, 'archive_record is under retention: DELETE refused'); END
    """,
    """
    CREATE TRIGGER archive_file_no_update BEFORE UPDATE ON archive_file
    BEGIN SELECT RAISE(ABORT, 'archive_file is insert-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER archive_file_retained BEFORE DELETE ON archive_file
    WHEN (SELECT retention_until FROM archive_record WHERE id = OLD.record_id)
        >= date('now', '+8 hours')
    BEGIN SELECT RAISE(ABORT, 'archive_file is under retention: DELETE refused'); END
    """,
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS archive_file_retained",
    "DROP TRIGGER IF EXISTS archive_file_no_update",
    "DROP TRIGGER IF EXISTS archive_record_retained",
    "DROP TRIGGER IF EXISTS archive_record_no_update",
]


def upgrade() -> None:
    op.create_table(
        "archive_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("voucher_id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("voucher_number", sa.Integer(), nullable=False),
        sa.Column("voucher_number_text", sa.String(length=24), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("retention_until", sa.Date(), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("metadata_sha256", sa.String(length=64), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('booking', 'payment', 'reversal')", name=op.f("ck_archive_record_kind")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_archive_record_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_archive_record_entity_id_legal_entity"),
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["journal_voucher.id"],
            name=op.f("fk_archive_record_voucher_id_journal_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_record")),
        sa.UniqueConstraint("reference", name=op.f("uq_archive_record_reference")),
        sa.UniqueConstraint("voucher_id", name=op.f("uq_archive_record_voucher_id")),
    )
    op.create_index(
        op.f("ix_archive_record_entity_id_period_voucher_number"),
        "archive_record",
        ["entity_id", "period", "voucher_number"],
        unique=False,
    )
    op.create_table(
        "archive_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("paper_voucher_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "role IN ('voucher', 'report', 'metadata', 'approval-history', 'invoice-original', "
            "'invoice-xbrl', 'paper-voucher', 'paper-scan')",
            name=op.f("ck_archive_file_role"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_archive_file_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["paper_voucher_id"],
            ["paper_voucher.id"],
            name=op.f("fk_archive_file_paper_voucher_id_paper_voucher"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["archive_record.id"],
            name=op.f("fk_archive_file_record_id_archive_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_file")),
        sa.UniqueConstraint("record_id", "path", name=op.f("uq_archive_file_record_id_path")),
    )
    op.create_index(op.f("ix_archive_file_record_id"), "archive_file", ["record_id"], unique=False)
    op.create_index(op.f("ix_archive_file_sha256"), "archive_file", ["sha256"], unique=False)
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_TRIGGERS if is_pg else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_DROP_TRIGGERS if is_pg else SQLITE_DROP_TRIGGERS:
        op.execute(statement)
    op.drop_index(op.f("ix_archive_file_sha256"), table_name="archive_file")
    op.drop_index(op.f("ix_archive_file_record_id"), table_name="archive_file")
    op.drop_table("archive_file")
    op.drop_index(
        op.f("ix_archive_record_entity_id_period_voucher_number"), table_name="archive_record"
    )
    op.drop_table("archive_record")
