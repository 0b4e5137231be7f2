"""Create webhook subscriptions, the event outbox and per-subscription deliveries.

Revision ID: cd98b8e0ba70
Revises: 90dece318958
Create Date: 2026-11-27 14:48:49.934040+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cd98b8e0ba70"
down_revision: str | None = "90dece318958"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_event",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("ordering_key", sa.String(length=100), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "event_type IN ('invoice.created', 'claim.submitted', 'claim.approved', "
            "'claim.rejected', 'claim.booked', 'claim.paid')",
            name=op.f("ck_webhook_event_event_type"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_webhook_event")),
        sa.UniqueConstraint("id", name=op.f("uq_webhook_event_id")),
    )
    op.create_index(
        op.f("ix_webhook_event_created_at"), "webhook_event", ["created_at"], unique=False
    )
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_webhook_subscription_created_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_index(
        op.f("ix_webhook_subscription_created_at"),
        "webhook_subscription",
        ["created_at"],
        unique=False,
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("ordering_key", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'dead', 'cancelled')",
            name=op.f("ck_webhook_delivery_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_event.id"],
            name=op.f("fk_webhook_delivery_event_id_webhook_event"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_webhook_delivery_subscription_id_webhook_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint(
            "subscription_id",
            "event_id",
            name=op.f("uq_webhook_delivery_subscription_id_event_id"),
        ),
    )
    op.create_index(
        op.f("ix_webhook_delivery_status_next_attempt_at"),
        "webhook_delivery",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_delivery_subscription_id_created_at"),
        "webhook_delivery",
        ["subscription_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_delivery_subscription_id_ordering_key_event_seq"),
        "webhook_delivery",
        ["subscription_id", "ordering_key", "event_seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_webhook_delivery_subscription_id_ordering_key_event_seq"),
        table_name="webhook_delivery",
    )
    op.drop_index(
        op.f("ix_webhook_delivery_subscription_id_created_at"), table_name="webhook_delivery"
    )
    op.drop_index(op.f("ix_webhook_delivery_status_next_attempt_at"), table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_index(op.f("ix_webhook_subscription_created_at"), table_name="webhook_subscription")
    op.drop_table("webhook_subscription")
    op.drop_index(op.f("ix_webhook_event_created_at"), table_name="webhook_event")
    op.drop_table("webhook_event")
