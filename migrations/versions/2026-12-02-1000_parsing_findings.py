"""Parsing: reserved for real-12306-variant work.

Reserved slot in the linear history for work in progress (issue 14); fill in or drop before release.

Revision ID: c14a00001000
Revises: 5a8c3e1f9d24
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

revision: str = "c14a00001000"
down_revision: str | None = "5a8c3e1f9d24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
