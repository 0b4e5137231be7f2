"""Who is acting: the user, the credential used, the legal entities they work for, their profile."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from app.auth.models import ApiToken, EmployeeProfile, Role, User


@dataclass(frozen=True)
class Principal:
    user: User
    # None when the command line acts for a user (the operator holds the database, not a token).
    token: ApiToken | None
    entity_ids: frozenset[uuid.UUID]
    # Read with the token (every upload compares it with the passenger); None: no profile.
    profile: EmployeeProfile | None
    # The entities' (id, name) by 统一社会信用代码, read with the token: every upload matches
    # its buyer against them. None when the principal was built without them (CLI, workers).
    entities_by_uscc: Mapping[str, tuple[uuid.UUID, str]] | None = None

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    def has_role(self, *roles: Role) -> bool:
        return self.user.has_role(*roles)

    @property
    def is_admin(self) -> bool:
        return self.user.has_role(Role.ADMIN)

    def is_passenger(self, name: str | None, id_masked: str | None) -> bool:
        """Whether a ticket's passenger (name, masked ID as printed) is this user, by profile."""
        profile = self.profile
        if profile is None or not name or not id_masked:
            return False
        return (
            profile.passenger_name == name
            and (profile.id_last4 or "").upper() == id_masked[-4:].upper()
        )
