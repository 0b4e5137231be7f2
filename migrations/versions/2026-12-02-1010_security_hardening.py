"""Security hardening: login attempts per username and the like.

Reserved slot in the linear history for work in progress (issue 15, security); fill in or drop before release.

Revision ID: c15b00001010
Revises: c15a00001005
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

revision: str = "c15b00001010"
down_revision: str | None = "c15a00001005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
