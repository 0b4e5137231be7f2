"""Reading invoices within the caller's sight: one, a filtered page, and their original files."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.auth.principal import Principal
from app.auth.visibility import get_visible, visible_only
from app.invoices.cabins import DEFAULT_CABIN_LETTERS, CabinLetters, load_cabin_letters
from app.invoices.models import INVOICE_SEARCH_TEXT, Invoice, InvoiceFile
from app.invoices.recording import Ingested
from app.invoices.schemas import InvoiceOut, RenditionOut, SegmentOut, WarningOut
from app.invoices.sight import Sight, invoice_sight
from app.kit.dates import business_today
from app.kit.pagination import paginate, paginate_table
from app.kit.ranges import require_ordered
from app.problems import NotFound
from app.storage import FileStore
from app.storage.verified import read_verified

MEDIA_TYPES = {"pdf": "application/pdf", "ofd": "application/ofd", "xml": "application/xml"}


@dataclass(frozen=True)
class InvoiceFilters:
    status: str | None = None
    travel_date_from: dt.date | None = None
    travel_date_to: dt.date | None = None
    q: str | None = None
    owner: uuid.UUID | Literal["none"] | None = None
    kind: Literal["railway", "air"] | None = None


def get_visible_invoice(session: Session, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
    return get_visible(session, principal, Invoice, invoice_id, "No such invoice.")


def list_invoices(
    session: Session,
    principal: Principal,
    filters: InvoiceFilters,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[InvoiceOut], str | None]:
    require_ordered(filters.travel_date_from, filters.travel_date_to, upper_field="travel_date_to")
    statement = select(Invoice)
    statement = visible_only(statement, principal, Invoice)
    if filters.status:
        statement = statement.where(Invoice.status == filters.status)
    if filters.kind:
        statement = statement.where(Invoice.kind == filters.kind)
    if filters.travel_date_from:
        statement = statement.where(col(Invoice.travel_date) >= filters.travel_date_from)
    if filters.travel_date_to:
        statement = statement.where(col(Invoice.travel_date) <= filters.travel_date_to)
    if filters.owner == "none":
        statement = statement.where(col(Invoice.owner_id).is_(None))
    elif filters.owner is not None:
        statement = statement.where(Invoice.owner_id == filters.owner)
    if filters.q:
        # A substring of the invoice number, train number or either station, in any case (see
        # models.SEARCH_TEXT), folded by the same SQL lower() as the column; `%`, `_` and `/`
        # typed by the user are text, not wildcards.
        escaped = filters.q.replace("/", "//").replace("%", "/%").replace("_", "/_")
        statement = statement.where(
            INVOICE_SEARCH_TEXT.like(func.lower(f"%{escaped}%"), escape="/")
        )
    if _window_first(filters):
        rows, next_cursor = _page_in_travel_window(session, statement, cursor, limit)
    else:
        rows, next_cursor = paginate_table(session, statement, Invoice, cursor=cursor, limit=limit)
    return invoices_out(session, principal, rows), next_cursor


def _window_first(filters: InvoiceFilters) -> bool:
    """Whether a travel-date filtered page is cheaper read window first than newest first.

    Newest first walks back through everything uploaded after the window's trips (uploads
    follow travel by days to weeks); window first reads every row of the window. So the
    window goes first when it is shorter than the time since it ended: one June week asked for
    in November, not "since last month" or "before June" (open windows hold most rows).
    """
    start, end = filters.travel_date_from, filters.travel_date_to
    if start is None or end is None:
        return False
    return end - start < business_today() - end


def _page_in_travel_window(
    session: Session, statement: SelectOfScalar[Invoice], cursor: str | None, limit: int
) -> tuple[list[Invoice], str | None]:
    """A page of a travel-date filtered list: the window's rows first, then the newest of them.

    Travel dates follow upload dates, which the planner cannot know: asked for one June week
    newest first, PostgreSQL walked the upload-time index back from today through 400,000 rows
    (3.4 s at a million invoices). Here the rows in the travel window come first, read from
    the covering travel-date index alone (MATERIALIZED stops the planner folding the step
    back in); sorting the window's keys and loading one page of rows is then cheap.
    """
    window = (
        statement.with_only_columns(col(Invoice.id), col(Invoice.created_at))
        .cte("travel_window")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    keys_query = select(window.c.id, window.c.created_at)
    # paginate reads `created_at` and `id` off each row, which these (id, created_at) rows have.
    keys, next_cursor = paginate(
        session,
        cast(SelectOfScalar[Any], keys_query),
        created_col=window.c.created_at,
        id_col=window.c.id,
        cursor=cursor,
        limit=limit,
    )
    ids = [key.id for key in keys]
    loaded = {i.id: i for i in session.exec(select(Invoice).where(col(Invoice.id).in_(ids)))}
    return [loaded[i] for i in ids], next_cursor


def invoices_out(
    session: Session, principal: Principal, invoices: list[Invoice]
) -> list[InvoiceOut]:
    """The JSON of several invoices for `principal`, with their renditions, in one query for all
    the files; other invoices they name are named only if `principal` may read them."""
    files = files_by_invoice(session, invoices, order_by=col(InvoiceFile.created_at))
    sight = invoice_sight(session, principal, invoices)
    cabins = _cabin_letters(session, invoices)
    return [_invoice_out(i, files[i.id], sight, cabins) for i in invoices]


def files_by_invoice(
    session: Session, invoices: list[Invoice], *, order_by: Any
) -> dict[uuid.UUID, list[InvoiceFile]]:
    """The file rows of `invoices`, in one query, grouped by invoice and ordered by `order_by`."""
    grouped: dict[uuid.UUID, list[InvoiceFile]] = defaultdict(list)
    if not invoices:
        return grouped
    rows = session.exec(
        select(InvoiceFile)
        .where(col(InvoiceFile.invoice_id).in_([i.id for i in invoices]))
        .order_by(order_by)
    ).all()
    for row in rows:
        grouped[row.invoice_id].append(row)
    return grouped


def _cabin_letters(session: Session, invoices: list[Invoice]) -> dict[uuid.UUID, CabinLetters]:
    """The letter tables of the entities of the air invoices among `invoices` (no query if none)."""
    return load_cabin_letters(session, {i.entity_id for i in invoices if i.kind == "air"})


def invoice_out(session: Session, principal: Principal, invoice: Invoice) -> InvoiceOut:
    return invoices_out(session, principal, [invoice])[0]


def ingested_out(session: Session, principal: Principal, ingested: Ingested) -> InvoiceOut:
    """The JSON of an upload's invoice; a new one's file rows are in hand, so no query."""
    if ingested.files is not None:
        sight = invoice_sight(session, principal, [ingested.invoice])
        cabins = _cabin_letters(session, [ingested.invoice])
        return _invoice_out(ingested.invoice, ingested.files, sight, cabins)
    return invoice_out(session, principal, ingested.invoice)


def _invoice_out(
    invoice: Invoice,
    files: list[InvoiceFile],
    sight: Sight,
    cabins: dict[uuid.UUID, CabinLetters],
) -> InvoiceOut:
    data = invoice.model_dump(
        exclude={"warnings", "original_invoice_id", "voided_by_id", "segments", "total_amount"}
    )
    renditions = [
        RenditionOut(
            kind=f.kind,
            filename=f.filename,
            sha256=f.sha256,
            size=f.size,
            url=f"/api/v1/invoices/{invoice.id}/files/{f.kind}",
        )
        for f in files
    ]
    warnings = [sight.warning(w) for w in invoice.warnings]
    return InvoiceOut(
        **data,
        # A link to an invoice the viewer may not read is left out (null), like a finding's name.
        original_invoice_id=sight.link(invoice.original_invoice_id),
        voided_by_id=sight.link(invoice.voided_by_id),
        entity=invoice.entity_id,
        total_amount=invoice.fare if invoice.total_amount is None else invoice.total_amount,
        segments=segments_out(invoice, cabins.get(invoice.entity_id, DEFAULT_CABIN_LETTERS)),
        renditions=renditions,
        warnings=[WarningOut(code=code, message=message) for code, message in warnings],
        owner=invoice.owner_id,
        uploaded_by=invoice.uploaded_by_id,
        uploaded_at=invoice.created_at,
    )


def segments_out(invoice: Invoice, letters: CabinLetters) -> list[SegmentOut]:
    return [
        SegmentOut.model_validate({**s, "cabin_class": letters.cabin_class(s.get("cabin"))})
        for s in invoice.segments
    ]


@dataclass(frozen=True)
class OriginalFile:
    data: bytes
    sha256: str
    media_type: str
    filename: str


def read_original(session: Session, store: FileStore, invoice: Invoice, kind: str) -> OriginalFile:
    """The exact bytes received; `xml` falls back to the XBRL embedded in the PDF or OFD."""
    row = session.exec(
        select(InvoiceFile).where(InvoiceFile.invoice_id == invoice.id, InvoiceFile.kind == kind)
    ).first()
    if row is not None:
        return OriginalFile(
            read_verified(store, row.sha256), row.sha256, MEDIA_TYPES[kind], row.filename
        )
    if kind == "xml" and invoice.xbrl_sha256:
        return OriginalFile(
            read_verified(store, invoice.xbrl_sha256),
            invoice.xbrl_sha256,
            MEDIA_TYPES["xml"],
            f"rai_issuer_{invoice.invoice_number}.xml",
        )
    raise NotFound(f"This invoice has no {kind} rendition.")


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: `*`, or a list of tags compared weakly (W/ prefixes ignored)."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def parse_owner_filter(owner: str | None) -> uuid.UUID | Literal["none"] | None:
    if owner is None:
        return None
    if owner == "none":
        return "none"
    try:
        return uuid.UUID(owner)
    except ValueError as exc:
        from app.problems import ValidationProblem

        raise ValidationProblem("owner", "a user id or `none`") from exc


def list_awaiting_deduction_confirmation(
    session: Session, principal: Principal, *, cursor: str | None, limit: int
) -> tuple[list[InvoiceOut], str | None]:
    """Live invoices finance has not yet confirmed for deduction (用途确认), newest first."""
    statement = select(Invoice).where(
        col(Invoice.deduction_confirmed_on).is_(None),
        Invoice.status != "void",
        col(Invoice.is_red_letter).is_(False),
    )
    statement = visible_only(statement, principal, Invoice)
    rows, next_cursor = paginate_table(session, statement, Invoice, cursor=cursor, limit=limit)
    return invoices_out(session, principal, rows), next_cursor
