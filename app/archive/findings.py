"""The report of a 四性 check: what was checked, each failure and warning with its object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from app.audit.chain import ChainHead

if TYPE_CHECKING:
    from app.archive.checkpoint import Since

Aspect = Literal["authenticity", "integrity", "usability", "security"]


@dataclass(frozen=True)
class Issue:
    check: str
    object: str
    message: str
    aspect: Aspect


@dataclass
class ArchiveReport:
    checked: dict[str, int] = field(default_factory=dict)
    failures: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    audit_head: ChainHead | None = None
    # None: a full verify; else what a --since-last verify started from.
    since: Since | None = None
    # Hashes whose file is missing or altered: later checks skip them instead of failing twice.
    bad_files: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n

    def fail(self, check: str, obj: str, message: str, aspect: Aspect) -> None:
        self.failures.append(Issue(check, obj, message, aspect))

    def warn(self, check: str, obj: str, message: str, aspect: Aspect) -> None:
        self.warnings.append(Issue(check, obj, message, aspect))
