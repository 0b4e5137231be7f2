"""Every file a PDF embeds, wherever it is declared, searched for the issuer's XBRL by content.

Declared in four places (ISO 32000-2 7.11): the catalog's EmbeddedFiles name tree, the catalog's
and the pages' `/AF` arrays (associated files) and FileAttachment annotations. The catalog is
searched first: it is cheap, and walking the page tree costs a third of an XBRL-only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from app.invoices.parsing.model import ParseLimits
from app.invoices.parsing.pdf_budget import DecodeBudget
from app.invoices.parsing.xbrl_discovery import (
    MAX_ATTACHMENTS,
    UnusedXbrl,
    XbrlInstance,
    is_issuer_name,
    read_instance,
)

_MAX_TREE_DEPTH = 8  # a name tree of one file is one level; deeper ones are not followed
# Annotations looked at per page: an invoice has none or a few (a FileAttachment icon).
_MAX_ANNOTATIONS = 64
_FILE_KEYS = ("/UF", "/F")


def find_embedded_xbrl(
    reader: PdfReader, limits: ParseLimits, budget: DecodeBudget
) -> XbrlInstance | UnusedXbrl | None:
    """The first embedded file that is an issuer's instance of a known kind (issuer-named first),
    else the first XBRL instance that is not one (reported), else None.

    At most MAX_ATTACHMENTS files are looked at, and all of them inflate from the file's one
    decode budget: thirty-two attachments of 10 MiB cost the stream limit once, not 32 times.
    """
    seen: set[int] = set()
    catalog = (c for c in _catalog_files(reader) if _first_sight(c[1], seen))
    candidates = list(islice(catalog, MAX_ATTACHMENTS))
    found = _first_instance(candidates, limits, budget)
    if isinstance(found, XbrlInstance) or len(candidates) >= MAX_ATTACHMENTS:
        return found
    on_pages = (c for c in _page_files(reader, limits.max_pages) if _first_sight(c[1], seen))
    pages = list(islice(on_pages, MAX_ATTACHMENTS - len(candidates)))
    return _first_instance(pages, limits, budget) or found


def _first_instance(
    candidates: list[tuple[str, StreamObject]], limits: ParseLimits, budget: DecodeBudget
) -> XbrlInstance | UnusedXbrl | None:
    ordered = sorted(candidates, key=lambda c: not is_issuer_name(c[0]))
    unused: UnusedXbrl | None = None
    for name, stream in ordered:
        data = budget.decode(stream)
        found = read_instance(data, name) if len(data) <= limits.xml_limit else None
        if isinstance(found, XbrlInstance):
            return found
        unused = unused or found
    return unused


def _first_sight(stream: StreamObject, seen: set[int]) -> bool:
    """One file declared in several places (name tree and /AF) is looked at once."""
    reference = stream.indirect_reference
    key = reference.idnum if reference is not None else id(stream)
    if key in seen:
        return False
    seen.add(key)
    return True


def _catalog_files(reader: PdfReader) -> Iterator[tuple[str, StreamObject]]:
    root = reader.root_object
    names = _resolve(root.get("/Names"))
    tree = _resolve(names.get("/EmbeddedFiles")) if isinstance(names, DictionaryObject) else None
    if isinstance(tree, DictionaryObject):
        yield from _name_tree_files(tree, 0)
    yield from _associated_files(root)


def _page_files(reader: PdfReader, max_pages: int) -> Iterator[tuple[str, StreamObject]]:
    for page in list(reader.pages)[:max_pages]:
        yield from _associated_files(page)
        annotations = _resolve(page.get("/Annots"))
        listed = annotations if isinstance(annotations, ArrayObject) else []
        for annotation in listed[:_MAX_ANNOTATIONS]:
            annotation = _resolve(annotation)
            if (
                isinstance(annotation, DictionaryObject)
                and annotation.get("/Subtype") == "/FileAttachment"
            ):
                yield from _filespec_file(annotation.get("/FS"), "")


def _name_tree_files(node: DictionaryObject, depth: int) -> Iterator[tuple[str, StreamObject]]:
    pairs = _resolve(node.get("/Names"))
    if isinstance(pairs, ArrayObject):
        for index in range(0, len(pairs) - 1, 2):
            yield from _filespec_file(pairs[index + 1], str(_resolve(pairs[index])))
    kids = _resolve(node.get("/Kids"))
    if depth < _MAX_TREE_DEPTH and isinstance(kids, ArrayObject):
        for kid in kids:
            kid = _resolve(kid)
            if isinstance(kid, DictionaryObject):
                yield from _name_tree_files(kid, depth + 1)


def _associated_files(holder: DictionaryObject) -> Iterator[tuple[str, StreamObject]]:
    files = _resolve(holder.get("/AF"))
    for filespec in files if isinstance(files, ArrayObject) else []:
        yield from _filespec_file(filespec, "")


def _filespec_file(filespec: object, key: str) -> Iterator[tuple[str, StreamObject]]:
    """The embedded stream of a file specification, with its name (`/UF`, `/F`, else its key)."""
    filespec = _resolve(filespec)
    if not isinstance(filespec, DictionaryObject):
        return
    embedded = _resolve(filespec.get("/EF"))
    if not isinstance(embedded, DictionaryObject):
        return
    name = next((str(filespec[k]) for k in _FILE_KEYS if k in filespec), key)
    for file_key in _FILE_KEYS:
        stream = _resolve(embedded.get(file_key))
        if isinstance(stream, StreamObject):
            yield name, stream
            return


def _resolve(value: object) -> object:
    get_object = getattr(value, "get_object", None)
    return get_object() if get_object is not None else value
