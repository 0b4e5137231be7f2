"""Garbage collection of stored files no database row refers to (left by a crash mid-upload)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import Session

from app.storage.base import FileStore

# Every column that holds a SHA-256 of a stored file. A new kind of stored file adds its column
# here, or gc would collect it.
# Each is kept even where another column names the same file: a lost or damaged row of one must
# leave a file that verify can still find through the others, not one gc has already taken.
REFERENCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("invoice_file", "sha256"),
    ("invoice", "sha256"),
    ("invoice", "xbrl_sha256"),
    ("paper_voucher", "scan_sha256"),
    # Archived files are kept for their retention (30 years), whatever else refers to them.
    ("archive_file", "sha256"),
    ("archive_record", "metadata_sha256"),
)
# Bytes are written before the row that refers to them commits; a young file may be in flight.
DEFAULT_GRACE = dt.timedelta(hours=1)


@dataclass
class GcReport:
    checked: int = 0
    unreferenced: list[str] = field(default_factory=list)
    too_recent: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def referenced_hashes(session: Session) -> set[str]:
    found: set[str] = set()
    for table, column in REFERENCE_COLUMNS:
        rows = session.execute(text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"))
        # Stored names are lower-case hex; a row's hash in capitals still means its file.
        found.update(row[0].lower() for row in rows)
    return found


def collect_garbage(
    session: Session,
    store: FileStore,
    *,
    dry_run: bool,
    now: dt.datetime,
    grace: dt.timedelta = DEFAULT_GRACE,
) -> GcReport:
    """Lists (dry run) or removes files older than `grace` that nothing refers to."""
    referenced = referenced_hashes(session)
    session.rollback()  # release the read before touching files
    report = GcReport()
    for stored in store.iter_files():
        report.checked += 1
        if stored.sha256 in referenced:
            continue
        if now - stored.modified_at < grace:
            report.too_recent.append(stored.sha256)
            continue
        report.unreferenced.append(stored.sha256)
        if not dry_run:
            store.remove_unreferenced(stored.sha256)
            report.removed.append(stored.sha256)
    return report
