"""The only ways to delete archived items, both refused while the retention period runs."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from app.archive.errors import RecordNotAsSealed, RetentionActive
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.verify_records import as_sealed, recorded_seals
from app.audit.service import AuditedObject, EventRecorder
from app.auth.models import User
from app.problems import Conflict, NotFound
from app.storage import FileStore
from app.storage.gc import REFERENCE_COLUMNS


def purge_record(
    session: Session, *, record_id: uuid.UUID, today: dt.date, actor: User | None, key: bytes
) -> None:
    """Removes a record whose retention has ended (its bytes go with the next storage gc)."""
    record = session.get(ArchiveRecord, record_id)
    if record is None:
        raise NotFound("No such archive record.")
    _refuse_unless_as_sealed(session, record)
    if today <= record.retention_until:
        raise RetentionActive(
            f"{record.reference} is kept until {record.retention_until.isoformat()}.",
            reference=record.reference,
            retention_until=record.retention_until.isoformat(),
        )
    session.execute(delete(ArchiveFile).where(col(ArchiveFile.record_id) == record.id))
    session.delete(record)
    EventRecorder(actor, key).record(
        session,
        "archive.purged",
        AuditedObject("archive_record", record.id, record.entity_id),
        details={"reference": record.reference, "metadata_sha256": record.metadata_sha256},
    )
    session.commit()


def _refuse_unless_as_sealed(session: Session, record: ArchiveRecord) -> None:
    """The retention date decides, so it must be the one sealed: a row edited to an earlier
    date (and then purged) would leave nothing for verify to compare."""
    if not as_sealed(record, recorded_seals(session, [record.id]).get(record.id)):
        raise RecordNotAsSealed(
            f"{record.reference} does not match what the audit chain sealed; it is not purged.",
            reference=record.reference,
        )


def delete_archived_file(
    session: Session, *, store: FileStore, sha256: str, today: dt.date
) -> None:
    """Deletes stored bytes an archive record held, once no retained record holds them and no
    row refers to them any more."""
    holders = session.exec(
        select(ArchiveRecord)
        .join(ArchiveFile, col(ArchiveFile.record_id) == col(ArchiveRecord.id))
        .where(ArchiveFile.sha256 == sha256)
    ).all()
    retained = sorted((r for r in holders if today <= r.retention_until), key=_kept_until)
    if retained:
        raise RetentionActive(
            f"The file belongs to {len(retained)} archive records still under retention.",
            references=[r.reference for r in retained[:20]],
            retention_until=retained[-1].retention_until.isoformat(),
        )
    for table, column in REFERENCE_COLUMNS:
        statement = text(f"SELECT 1 FROM {table} WHERE {column} = :sha LIMIT 1")
        if session.execute(statement, {"sha": sha256}).first() is not None:
            raise Conflict(f"A {table} row still refers to this file; purge it first.")
    store.remove_unreferenced(sha256)


def _kept_until(record: ArchiveRecord) -> dt.date:
    return record.retention_until
