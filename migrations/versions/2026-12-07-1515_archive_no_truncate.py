"""The archive tables refuse TRUNCATE on PostgreSQL, as the ledger and audit tables do.

Their row triggers refuse a DELETE while the retention runs, but TRUNCATE fires no row
triggers: `TRUNCATE archive_file, archive_record` emptied the archive (verify reported it, but
nothing prevented it). TRUNCATE cannot ask each row's retention, so it is refused outright; a
record past its retention is purged row by row (`DELETE /archive/records/{id}`). SQLite has no
TRUNCATE: its DELETE without WHERE runs the row triggers.

Revision ID: c19a00001515
Revises: c18a00002110
Create Date: 2026-12-07 15:15:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c19a00001515"
down_revision: str | None = "c18a00002110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("archive_record", "archive_file")

PG_FUNCTION = """
    CREATE FUNCTION archive_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is under retention: TRUNCATE refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PG_FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION archive_refuse_truncate()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS archive_refuse_truncate()")
