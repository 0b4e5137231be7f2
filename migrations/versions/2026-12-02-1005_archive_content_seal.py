"""Insert-only ledger rows: journal_line and booked_document refuse UPDATE and DELETE.

What the archive seals (issue 15): posted lines and the marks that finish a document are never
changed in place (corrections are reversal vouchers), so the database refuses it, like the
archive tables. A superuser can still drop these triggers, which is why `archive verify` also
compares the rows with the content sealed in the audit chain (app/archive/seal.py).

Revision ID: c15a00001005
Revises: 5a8c3e1f9d24
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c15a00001005"
down_revision: str | None = "5a8c3e1f9d24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("journal_line", "booked_document")

PG_FUNCTION = """
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is insert-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
"""


def _pg_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
    ]


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is insert-only: {verb} refused'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            for statement in _pg_triggers(table):
                op.execute(statement)
        return
    for table in TABLES:
        for statement in _sqlite_triggers(table):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
