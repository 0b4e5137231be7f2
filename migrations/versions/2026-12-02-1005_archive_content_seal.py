"""Archive seal over content; insert-only ledger tables.

Reserved slot in the linear history for work in progress (issue 15, verify); fill in or drop before release.

Revision ID: c15a00001005
Revises: c14a00001000
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

revision: str = "c15a00001005"
down_revision: str | None = "c14a00001000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
