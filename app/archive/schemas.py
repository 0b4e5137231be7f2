"""Response bodies of the archive endpoints (the 四性 report per SPEC)."""

from __future__ import annotations

from pydantic import BaseModel

from app.archive.findings import ArchiveReport, Aspect, Issue
from app.audit.schemas import ChainHeadOut


class IssueOut(BaseModel):
    check: str
    object: str
    message: str
    aspect: Aspect

    @classmethod
    def of(cls, issue: Issue) -> IssueOut:
        return cls(
            check=issue.check, object=issue.object, message=issue.message, aspect=issue.aspect
        )


class ArchiveReportOut(BaseModel):
    ok: bool
    checked: dict[str, int]
    failures: list[IssueOut]
    warnings: list[IssueOut]
    audit_head: ChainHeadOut | None
    # "full", or what a --since-last verify re-checked from (its counts cover only that).
    scope: str = "full"

    @classmethod
    def of(cls, report: ArchiveReport) -> ArchiveReportOut:
        head = report.audit_head
        since = report.since
        return cls(
            scope="full"
            if since is None
            else f"since checkpoint {since.checkpoint_id}: rows made from "
            f"{since.changed_since.isoformat()}, audit events after {since.audit.seq}",
            ok=report.ok,
            checked=report.checked,
            failures=[IssueOut.of(i) for i in report.failures],
            warnings=[IssueOut.of(i) for i in report.warnings],
            audit_head=ChainHeadOut(seq=head.seq, mac=head.mac) if head else None,
        )
