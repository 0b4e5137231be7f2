"""The audit head only moves forward, and verify checkpoints are insert-only.

Without triggers a database user who may write rows (no superuser needed) could set
`audit_head` back to an earlier event or delete it, after which every audited write failed,
and delete `archive_verify_checkpoint` rows so that a later verify had no recorded link to
check the chain against. Now the head row can neither be deleted nor set to a lower seq, and a
checkpoint row can be neither changed nor deleted (on PostgreSQL TRUNCATE is refused too, as
it fires no row triggers). Dropping the triggers takes the tables' owner; what such a user can
still do is caught by verify against a head kept outside the database (`--expected-head`).

Revision ID: c20a00002330
Revises: c19a00001515
Create Date: 2026-12-07 23:30:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c20a00002330"
down_revision: str | None = "c19a00001515"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_UP = [
    """
    CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_head only moves forward: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()
    """,
    """
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()
    """,
    """
    CREATE FUNCTION verify_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'archive_verify_checkpoint is insert-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER verify_checkpoint_insert_only BEFORE UPDATE OR DELETE
    ON archive_verify_checkpoint FOR EACH ROW EXECUTE FUNCTION verify_checkpoint_refuse_change()
    """,
    """
    CREATE TRIGGER verify_checkpoint_no_truncate BEFORE TRUNCATE ON archive_verify_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION verify_checkpoint_refuse_change()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS verify_checkpoint_no_truncate ON archive_verify_checkpoint",
    "DROP TRIGGER IF EXISTS verify_checkpoint_insert_only ON archive_verify_checkpoint",
    "DROP FUNCTION IF EXISTS verify_checkpoint_refuse_change()",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head",
    "DROP TRIGGER IF EXISTS audit_head_forward ON audit_head",
    "DROP FUNCTION IF EXISTS audit_head_forward_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER audit_head_no_step_back BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq
    BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward: DELETE refused'); END
    """,
    """
    CREATE TRIGGER verify_checkpoint_no_update BEFORE UPDATE ON archive_verify_checkpoint
    BEGIN SELECT RAISE(ABORT, 'archive_verify_checkpoint is insert-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER verify_checkpoint_no_delete BEFORE DELETE ON archive_verify_checkpoint
    BEGIN SELECT RAISE(ABORT, 'archive_verify_checkpoint is insert-only: DELETE refused'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS verify_checkpoint_no_delete",
    "DROP TRIGGER IF EXISTS verify_checkpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_step_back",
]


def upgrade() -> None:
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_UP if is_pg else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_DOWN if is_pg else SQLITE_DOWN:
        op.execute(statement)
