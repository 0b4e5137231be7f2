"""People, claim numbers, bulk work and notifications.

Reserved slot in the linear history for work in progress (issue 16); fill in or drop before release.

Revision ID: c16a00001020
Revises: c15b00001010
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

revision: str = "c16a00001020"
down_revision: str | None = "c15b00001010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
