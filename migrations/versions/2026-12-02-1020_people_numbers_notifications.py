"""People, claim numbers and notifications: user e-mail and language, claim.number with its
per-entity monthly counter (existing claims numbered by creation order), and the e-mail outbox.

Revision ID: c16a00001020
Revises: c15a00001005
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "c16a00001020"
down_revision: str | None = "c15a00001005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As app.claims.numbering when this was written (a migration never imports the app: it moves on).
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
NOTIFICATION_KINDS = ("claim.awaiting", "claim.approved", "claim.rejected", "claim.paid")
NOTIFICATION_STATUSES = ("pending", "sent", "dead", "expired")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _utc_datetime() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    # Plain ADD COLUMN on both engines, never batch mode: a batch rebuild of app_user or claim
    # would drop a table that others point at, which SQLite refuses with foreign keys on.
    op.add_column("app_user", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column(
        "app_user",
        sa.Column("language", sa.String(length=8), nullable=False, server_default="zh-CN"),
    )
    op.create_table(
        "claim_number_sequence",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=6), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["legal_entity.id"],
            name=op.f("fk_claim_number_sequence_entity_id_legal_entity"),
        ),
        sa.PrimaryKeyConstraint("entity_id", "month", name=op.f("pk_claim_number_sequence")),
    )
    # NOT NULL needs a default for the rows already there; they are numbered right after.
    op.add_column(
        "claim",
        sa.Column("number", sa.String(length=24), nullable=False, server_default=""),
    )
    _number_existing_claims()
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("claim", "number", server_default=None)
    op.create_index(
        op.f("ix_claim_entity_id_number"), "claim", ["entity_id", "number"], unique=True
    )
    _create_notification()


def _number_existing_claims() -> None:
    """Existing claims get numbers in creation order per entity and month; the counters follow."""
    bind = op.get_bind()
    claim = sa.table(
        "claim",
        sa.column("id", sa.Uuid()),
        sa.column("entity_id", sa.Uuid()),
        sa.column("created_at", _utc_datetime()),
        sa.column("number", sa.String()),
    )
    rows = bind.execute(
        sa.select(claim.c.id, claim.c.entity_id, claim.c.created_at).order_by(
            claim.c.created_at, claim.c.id
        )
    ).all()
    counters: dict[tuple[object, str], int] = defaultdict(int)
    for claim_id, entity_id, created_at in rows:
        moment = created_at if created_at.tzinfo else created_at.replace(tzinfo=dt.UTC)
        day = moment.astimezone(BUSINESS_TZ).date()
        month = f"{day.year:04d}{day.month:02d}"
        counters[(entity_id, month)] += 1
        bind.execute(
            claim.update()
            .where(claim.c.id == claim_id)
            .values(number=f"BX-{month}-{counters[(entity_id, month)]:04d}")
        )
    sequence = sa.table(
        "claim_number_sequence",
        sa.column("entity_id", sa.Uuid()),
        sa.column("month", sa.String()),
        sa.column("last_number", sa.Integer()),
    )
    if counters:
        op.bulk_insert(
            sequence,
            [{"entity_id": e, "month": m, "last_number": n} for (e, m), n in counters.items()],
        )


def _create_notification() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _utc_datetime(), nullable=False),
        sa.Column("last_attempt_at", _utc_datetime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", _utc_datetime(), nullable=True),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.CheckConstraint(_in("kind", NOTIFICATION_KINDS), name=op.f("ck_notification_kind")),
        sa.CheckConstraint(
            _in("status", NOTIFICATION_STATUSES), name=op.f("ck_notification_status")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_notification_claim_id_claim"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(op.f("ix_notification_claim_id"), "notification", ["claim_id"])
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"])
    op.create_index(
        op.f("ix_notification_status_next_attempt_at"),
        "notification",
        ["status", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_table("notification")
    # Plain DROP COLUMN on both engines (SQLite ≥ 3.35 drops in place), for the reason above.
    op.drop_index(op.f("ix_claim_entity_id_number"), table_name="claim")
    op.drop_column("claim", "number")
    op.drop_table("claim_number_sequence")
    op.drop_column("app_user", "language")
    op.drop_column("app_user", "email")
