"""Web (employee and approver screens): reserved.

Reserved slot in the linear history for work in progress (issue 16, web employee); fill in or drop before release.

Revision ID: c16b00001030
Revises: c16a00001020
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

revision: str = "c16b00001030"
down_revision: str | None = "c16a00001020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
