"""All the parser takes from pypdf: the first page's content, fonts and form XObjects, and the
embedded XBRL.

pypdf is the boundary to hostile bytes. Whatever it raises on a damaged or malicious file becomes a
typed refusal here, and nothing else in the parser touches a pypdf object.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.layout import TextRun, normalize
from app.invoices.parsing.model import (
    EncryptedFile,
    ParseError,
    ParseLimits,
    TooLarge,
    UnreadableFile,
)
from app.invoices.parsing.pdf_attachments import find_embedded_xbrl
from app.invoices.parsing.pdf_budget import (
    DecodeBudget,
    check_object_streams,
    extraction_configuration,
    prefetch_text_streams,
    structure_configuration,
)
from app.invoices.parsing.pdf_face import IDENTITY, MAX_FORM_DEPTH, FormXObject, Matrix
from app.invoices.parsing.pdf_fonts import FontCodec, codec_for_encoding
from app.invoices.parsing.xbrl_discovery import UnusedXbrl, XbrlInstance

_log = logging.getLogger(__name__)

# A content stream split over more parts than this, or more fonts than this, is no invoice face.
_MAX_CONTENT_PARTS = 16
_MAX_FONTS = 64
# Form XObjects read for a page, nested ones included: a face has a template or two. Of a
# resource dictionary's XObjects (the QR code, a seal image, the forms) the first are looked at.
_MAX_FORMS = 16
_MAX_XOBJECTS = 64


@dataclass(frozen=True, slots=True)
class PdfParts:
    """What the parser needs from a PDF, as plain values."""

    xbrl: XbrlInstance | None
    content: bytes
    fonts: dict[str, FontCodec | None]
    # An attached XBRL instance of no known kind, when no issuer's instance was found.
    unused_xbrl: UnusedXbrl | None = None
    forms: dict[str, FormXObject] = field(default_factory=dict)
    page_count: int = 1


@contextmanager
def pypdf_boundary(configuration: AbstractContextManager[None]) -> Iterator[None]:
    """Run pypdf under bounded decompression; turn anything it raises into a typed refusal."""
    try:
        with configuration:
            yield
    except ParseError:
        raise
    except (LimitReachedError, MemoryError) as exc:
        raise TooLarge(f"the PDF expands beyond the safety limits: {exc}") from exc
    # pypdf raises a zoo of types (its own, ValueError, KeyError, RecursionError on reference
    # loops, ...) on hostile files; at this boundary all of them mean "cannot read this PDF".
    # Their text speaks of pypdf's insides (an attribute without a setter, a key), nothing the
    # sender can act on: the answer names the fault, the operators' log keeps the cause.
    except Exception as exc:
        _log.info("unreadable PDF: %s: %s", type(exc).__name__, exc)
        raise UnreadableFile("the PDF cannot be read: its structure is damaged") from exc


def read_pdf_parts(
    data: bytes, limits: ParseLimits, deadline: Deadline, *, want_face: bool
) -> PdfParts:
    """Open the PDF within the limits; the face is read only when asked (or when no XBRL exists)."""
    with pypdf_boundary(structure_configuration(limits)):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EncryptedFile("the PDF is encrypted")
        check_object_streams(reader)
        # The declared /Count is cheap; walking the page tree costs a third of an XBRL-only read.
        _check_page_count(_declared_page_count(reader), limits)
        budget = DecodeBudget(limits)
        found = find_embedded_xbrl(reader, limits, budget)
        xbrl = found if isinstance(found, XbrlInstance) else None
        deadline.check()
        if not want_face and xbrl is not None:
            return PdfParts(xbrl, b"", {})
        _check_page_count(len(reader.pages), limits)
        if len(reader.pages) == 0:
            raise UnreadableFile("the PDF has no pages")
        page = reader.pages[0]
        unused = found if isinstance(found, UnusedXbrl) else None
        fonts = _page_fonts(page)
        forms = _forms(_resources(page), fonts, budget, [], depth=0)
        content = _page_content(page, budget)
        return PdfParts(xbrl, content, fonts, unused, forms, len(reader.pages))


def _declared_page_count(reader: PdfReader) -> int:
    """The page tree's /Count as declared (0 when absent); the real tree is checked before use."""
    pages = reader.root_object.get("/Pages")
    pages = pages.get_object() if pages is not None else None
    count = pages.get("/Count") if isinstance(pages, DictionaryObject) else None
    return count if isinstance(count, int) else 0


def _check_page_count(count: int, limits: ParseLimits) -> None:
    if count > limits.max_pages:
        raise TooLarge(f"the PDF has {count} pages (limit {limits.max_pages})")


def _page_content(page: DictionaryObject, budget: DecodeBudget) -> bytes:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, StreamObject):
        return budget.decode(contents)
    if isinstance(contents, ArrayObject):
        if len(contents) > _MAX_CONTENT_PARTS:
            raise TooLarge(
                f"the page content has {len(contents)} parts (limit {_MAX_CONTENT_PARTS})"
            )
        # Streams of an array are one content stream split at token boundaries.
        parts = (item.get_object() for item in contents)
        return b"\n".join(budget.decode(p) for p in parts if isinstance(p, StreamObject))
    return b""


def _resources(holder: DictionaryObject) -> DictionaryObject | None:
    """A page's or a form's /Resources, None when it has none."""
    resources = holder.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    return resources if isinstance(resources, DictionaryObject) else None


def _entry(resources: DictionaryObject | None, key: str) -> DictionaryObject | None:
    found = resources.get(key) if resources is not None else None
    found = found.get_object() if found is not None else None
    return found if isinstance(found, DictionaryObject) else None


def _font_resources(page: DictionaryObject) -> DictionaryObject:
    """The page's font dictionary (empty when it has none), refused when no invoice has as many."""
    return _fonts_dictionary(_resources(page))


def _fonts_dictionary(resources: DictionaryObject | None) -> DictionaryObject:
    fonts = _entry(resources, "/Font")
    if fonts is None:
        return DictionaryObject()
    if len(fonts) > _MAX_FONTS:
        raise TooLarge(f"the page has {len(fonts)} fonts (limit {_MAX_FONTS})")
    return fonts


def _page_fonts(page: DictionaryObject) -> dict[str, FontCodec | None]:
    """Font resource name → codec, `None` for fonts this reader cannot decode itself."""
    return _codecs(_font_resources(page))


def _codecs(fonts: DictionaryObject) -> dict[str, FontCodec | None]:
    return {str(name).lstrip("/"): _codec_of(font.get_object()) for name, font in fonts.items()}


def _forms(
    resources: DictionaryObject | None,
    fonts: dict[str, FontCodec | None],
    budget: DecodeBudget,
    read: list[str],
    *,
    depth: int,
) -> dict[str, FormXObject]:
    """The form XObjects `resources` name, each with its content, matrix, fonts (its own, or
    those of whatever draws it) and its own forms, within _MAX_FORMS and MAX_FORM_DEPTH.
    Images are left alone: they draw no text."""
    xobjects = _entry(resources, "/XObject")
    forms: dict[str, FormXObject] = {}
    for name, reference in itertools.islice((xobjects or {}).items(), _MAX_XOBJECTS):
        stream = reference.get_object()
        if not isinstance(stream, StreamObject) or stream.get("/Subtype") != "/Form":
            continue
        if len(read) >= _MAX_FORMS:
            break
        read.append(str(name))
        own = _resources(stream)
        own_font_dictionary = _fonts_dictionary(own)  # empty when the form names no fonts
        own_fonts = _codecs(own_font_dictionary) if own_font_dictionary else fonts
        deeper = depth + 1 < MAX_FORM_DEPTH
        nested = _forms(own, own_fonts, budget, read, depth=depth + 1) if deeper else {}
        content = budget.decode(stream)
        forms[str(name).lstrip("/")] = FormXObject(
            content, _matrix(stream.get("/Matrix")), own_fonts, nested
        )
    return forms


def _matrix(value: object) -> Matrix:
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, ArrayObject) and len(value) == 6:
        try:
            a, b, c, d, e, f = (float(v) for v in value)
        except (TypeError, ValueError):
            return IDENTITY
        return (a, b, c, d, e, f)
    return IDENTITY


def _codec_of(font: object) -> FontCodec | None:
    if not isinstance(font, DictionaryObject) or font.get("/Subtype") != "/Type0":
        return None
    encoding = font.get("/Encoding")
    return codec_for_encoding(str(encoding)) if isinstance(encoding, NameObject) else None


def extract_runs_with_pypdf(data: bytes, limits: ParseLimits) -> list[TextRun]:
    """Fallback for fonts outside the Chinese CMaps (ToUnicode, standard): pypdf's extractor."""
    runs: list[TextRun] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scaled = abs(size * tm[3] * cm[3]) or abs(size) or 1.0
        for offset, line in enumerate(normalize(text).splitlines()):
            if line.strip():
                top = -y + offset * scaled
                runs.append(TextRun(x, top, line, scaled, x + len(line) * scaled * 0.75))

    with pypdf_boundary(structure_configuration(limits)):
        page = PdfReader(io.BytesIO(data), strict=False).pages[0]
        budget = DecodeBudget(limits)
        _page_content(page, budget)
        prefetch_text_streams(_font_resources(page), budget)
        with extraction_configuration(limits):
            page.extract_text(visitor_text=visit)
    return runs
