"""Create claims, their items, approvals and history, approval substitutes and claim policy.

Revision ID: c9398adbfe3f
Revises: cd98b8e0ba70
Create Date: 2026-11-27 14:55:12.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9398adbfe3f"
down_revision: str | None = "cd98b8e0ba70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["app_user.id"], name=op.f(f"fk_{table}_{column}_app_user")
    )


def upgrade() -> None:
    op.create_table(
        "approval_substitute",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("approver_id", sa.Uuid(), nullable=False),
        sa.Column("substitute_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_approval_substitute_range")),
        sa.CheckConstraint(
            "substitute_id <> approver_id", name=op.f("ck_approval_substitute_not_self")
        ),
        _user_fk("approval_substitute", "approver_id"),
        _user_fk("approval_substitute", "created_by_id"),
        _user_fk("approval_substitute", "substitute_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_substitute")),
    )
    for column in ("approver_id", "created_at", "substitute_id"):
        op.create_index(
            op.f(f"ix_approval_substitute_{column}"), "approval_substitute", [column], unique=False
        )
    op.create_table(
        "claim",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("claimant_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=2000), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("required_levels", sa.Integer(), nullable=False),
        sa.Column("approved_levels", sa.Integer(), nullable=False),
        sa.Column("level1_approver_id", sa.Uuid(), nullable=True),
        sa.Column("level2_approver_id", sa.Uuid(), nullable=True),
        sa.Column("awaiting_approver_id", sa.Uuid(), nullable=True),
        sa.Column("last_rejection_reason", sa.String(length=2000), nullable=True),
        sa.Column("last_rejected_by_id", sa.Uuid(), nullable=True),
        sa.Column("last_rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'booked', 'paid')",
            name=op.f("ck_claim_state"),
        ),
        sa.CheckConstraint("approved_levels <= required_levels", name=op.f("ck_claim_levels")),
        _user_fk("claim", "awaiting_approver_id"),
        _user_fk("claim", "claimant_id"),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["legal_entity.id"], name=op.f("fk_claim_entity_id_legal_entity")
        ),
        _user_fk("claim", "last_rejected_by_id"),
        _user_fk("claim", "level1_approver_id"),
        _user_fk("claim", "level2_approver_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    for column in ("awaiting_approver_id", "claimant_id", "created_at", "entity_id", "state"):
        op.create_index(op.f(f"ix_claim_{column}"), "claim", [column], unique=False)
    op.create_table(
        "claim_policy",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("approval_threshold", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("fallback_approver_id", sa.Uuid(), nullable=True),
        sa.Column("first_class_min_grade", sa.Integer(), nullable=False),
        sa.Column("business_class_min_grade", sa.Integer(), nullable=False),
        sa.Column("late_submission_days", sa.Integer(), nullable=False),
        sa.Column("segregation_of_duties", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("approval_threshold >= 0", name=op.f("ck_claim_policy_threshold")),
        sa.CheckConstraint(
            "business_class_min_grade >= first_class_min_grade",
            name=op.f("ck_claim_policy_grades"),
        ),
        sa.CheckConstraint("late_submission_days > 0", name=op.f("ck_claim_policy_late_days")),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["legal_entity.id"], name=op.f("fk_claim_policy_entity_id_legal_entity")
        ),
        _user_fk("claim_policy", "fallback_approver_id"),
        _user_fk("claim_policy", "updated_by_id"),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_claim_policy")),
    )
    op.create_table(
        "claim_approval",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Uuid(), nullable=False),
        sa.Column("on_behalf_of_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("acknowledged_warnings", sa.JSON(), nullable=False),
        _user_fk("claim_approval", "approver_id"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_approval_claim_id_claim")
        ),
        _user_fk("claim_approval", "on_behalf_of_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_approval")),
        sa.UniqueConstraint(
            "claim_id", "round", "level", name=op.f("uq_claim_approval_claim_id_round_level")
        ),
    )
    for column in ("approver_id", "claim_id"):
        op.create_index(op.f(f"ix_claim_approval_{column}"), "claim_approval", [column])
    op.create_table(
        "claim_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        _user_fk("claim_history", "actor_id"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_history_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_history")),
    )
    op.create_index(op.f("ix_claim_history_claim_id"), "claim_history", ["claim_id"])
    op.create_table(
        "claim_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("paper_voucher_id", sa.Uuid(), nullable=True),
        sa.Column("justification", sa.String(length=1000), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(invoice_id IS NULL) <> (paper_voucher_id IS NULL)",
            name=op.f("ck_claim_item_exactly_one_document"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_item_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_claim_item_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["paper_voucher_id"],
            ["paper_voucher.id"],
            name=op.f("fk_claim_item_paper_voucher_id_paper_voucher"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_item")),
        # One claim per document at a time, whatever the claim's state: the race-safe guard.
        sa.UniqueConstraint("invoice_id", name=op.f("uq_claim_item_invoice_id")),
        sa.UniqueConstraint("paper_voucher_id", name=op.f("uq_claim_item_paper_voucher_id")),
    )
    op.create_index(op.f("ix_claim_item_claim_id"), "claim_item", ["claim_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_item_claim_id"), table_name="claim_item")
    op.drop_table("claim_item")
    op.drop_index(op.f("ix_claim_history_claim_id"), table_name="claim_history")
    op.drop_table("claim_history")
    for column in ("approver_id", "claim_id"):
        op.drop_index(op.f(f"ix_claim_approval_{column}"), table_name="claim_approval")
    op.drop_table("claim_approval")
    op.drop_table("claim_policy")
    for column in ("awaiting_approver_id", "claimant_id", "created_at", "entity_id", "state"):
        op.drop_index(op.f(f"ix_claim_{column}"), table_name="claim")
    op.drop_table("claim")
    for column in ("approver_id", "created_at", "substitute_id"):
        op.drop_index(op.f(f"ix_approval_substitute_{column}"), table_name="approval_substitute")
    op.drop_table("approval_substitute")
