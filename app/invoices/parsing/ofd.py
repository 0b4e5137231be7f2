"""A travel e-invoice OFD (GB/T 33190): the XBRL under `Doc_0/Attachs/`, TextCode as the face."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.extraction import Extraction
from app.invoices.parsing.kinds import read_face_fields
from app.invoices.parsing.layout import TextRun, advance_em, group_lines, normalize
from app.invoices.parsing.model import ParseLimits, TooLarge, UnreadableFile, extra_pages
from app.invoices.parsing.safezip import open_zip, read_member
from app.invoices.parsing.xbrl import parse_xml
from app.invoices.parsing.xbrl_discovery import (
    MAX_ATTACHMENTS,
    UnusedXbrl,
    XbrlInstance,
    is_issuer_name,
    read_instance,
)

_FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")


class _Package:
    """Members of an OFD package by normalized path, read lazily and case-insensitively."""

    def __init__(self, data: bytes, limits: ParseLimits) -> None:
        self._zip = open_zip(data, limits, "OFD package")
        self.max_xml_bytes = limits.xml_limit
        # Every part parsed draws from one allowance: a page may cite a template a thousand
        # times, a document declare hundreds of pages and templates, each under the XML limit.
        self._xml_left = limits.max_stream_bytes
        self._infos = {info.filename.lstrip("/").lower(): info for info in self._zip.infolist()}

    def names(self) -> list[str]:
        return [info.filename for info in self._infos.values()]

    def size(self, path: str) -> int | None:
        info = self._infos.get(path.lstrip("/").lower())
        return None if info is None else info.file_size

    def read(self, path: str) -> bytes | None:
        info = self._infos.get(path.lstrip("/").lower())
        return None if info is None else read_member(self._zip, info, "OFD package")

    def xml(self, path: str) -> Element | None:
        info = self._infos.get(path.lstrip("/").lower())
        if info is not None and info.file_size > self.max_xml_bytes:
            # A parsed XML tree costs several times its size; an invoice part is a few KB.
            raise TooLarge(f"the OFD part {info.filename} is larger than the XML limit")
        data = self.read(path)
        if data is None:
            return None
        self.charge(data)
        return parse_xml(data)

    def charge(self, data: bytes) -> None:
        """Count XML about to be parsed against the package's allowance."""
        self._xml_left -= len(data)
        if self._xml_left < 0:
            raise TooLarge("the OFD package's XML parts add up to more than the stream limit")


def read_ofd(
    data: bytes, limits: ParseLimits, deadline: Deadline, *, want_face: bool
) -> Extraction:
    package = _Package(data, limits)
    root = package.xml("OFD.xml")
    if root is None:
        raise UnreadableFile("the OFD package has no OFD.xml")
    doc_path = _text(_first(root, "DocRoot")) or "Doc_0/Document.xml"
    document = package.xml(doc_path)
    if document is None:
        raise UnreadableFile(f"the OFD package lacks its document {doc_path}")
    deadline.check()
    searched = _find_xbrl(package, document, doc_path)
    found = searched if isinstance(searched, XbrlInstance) else None
    if found is not None and not want_face:
        return Extraction("ofd", found, None)
    pages = _all(document, "Page")
    if len(pages) > limits.max_pages:
        raise TooLarge(f"the OFD has {len(pages)} pages (limit {limits.max_pages})")
    runs = _face_runs(package, document, doc_path, pages[:1])
    deadline.check()
    face = read_face_fields(group_lines(runs), found.kind if found is not None else None)
    unused = (searched.finding(),) if isinstance(searched, UnusedXbrl) else ()
    return Extraction("ofd", found, face, unused + extra_pages(len(pages)))


def _find_xbrl(
    package: _Package, document: Element, doc_path: str
) -> XbrlInstance | UnusedXbrl | None:
    """The attachment that is an issuer's instance, whatever its name: those `Attachments.xml`
    declares first, then every file under an `Attachs` folder, then any `*_issuer_*.xml`; else
    the first XBRL instance of no known kind (reported)."""
    unused: UnusedXbrl | None = None
    for path in _attachment_candidates(package, document, doc_path)[:MAX_ATTACHMENTS]:
        size = package.size(path)
        if size is None or size > package.max_xml_bytes:
            continue  # an instance is a few KB: a larger file is some other attachment
        data = package.read(path)
        if data is None:
            continue
        package.charge(data)
        found = read_instance(data, path)
        if isinstance(found, XbrlInstance):
            return found
        unused = unused or found
    return unused


def _attachment_candidates(package: _Package, document: Element, doc_path: str) -> list[str]:
    declared: list[str] = []
    attachments_path = _text(_first(document, "Attachments"))
    if attachments_path:
        list_path = _resolve(doc_path, attachments_path)
        listing = package.xml(list_path)
        for attachment in _all(listing, "Attachment") if listing is not None else []:
            location = _text(_first(attachment, "FileLoc"))
            if location:
                declared.append(_resolve(list_path, location))
    names = package.names()
    in_folders = [n for n in names if "attachs" in n.lower().split("/")[:-1]]
    named = [n for n in names if is_issuer_name(n)]
    unique: dict[str, str] = {}  # each path once, case-insensitively, in order of trust
    for path in declared + in_folders + named:
        unique.setdefault(path.lstrip("/").lower(), path)
    return list(unique.values())


def _face_runs(
    package: _Package, document: Element, doc_path: str, pages: list[Element]
) -> list[TextRun]:
    """TextCode runs of `pages` and the templates they use, in millimetres, y downwards (the
    pages share one coordinate space, so only the face's own page is given)."""
    templates = {
        tpl.get("ID", ""): _resolve(doc_path, tpl.get("BaseLoc", ""))
        for tpl in _all(document, "TemplatePage")
    }
    runs: list[TextRun] = []
    for page in pages:
        page_path = _resolve(doc_path, page.get("BaseLoc", ""))
        content = package.xml(page_path)
        if content is None:
            continue
        # A template cited twice on one page draws the same text in the same place once.
        cited = dict.fromkeys(use.get("TemplateID", "") for use in _all(content, "Template"))
        for template_id in cited:
            template = package.xml(templates.get(template_id, ""))
            runs += _text_runs(template) if template is not None else []
        runs += _text_runs(content)
    return runs


def _text_runs(content: Element) -> list[TextRun]:
    runs: list[TextRun] = []
    for text_object in _all(content, "TextObject"):
        box = _floats(text_object.get("Boundary", ""))
        left, top = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_floats(text_object.get("Size", "")) or [3.5])[0]
        for code in _all(text_object, "TextCode"):
            drawn = code.text or ""
            if not drawn.strip():
                continue
            x = left + (_floats(code.get("X", "")) or [0.0])[0]
            y = top + (_floats(code.get("Y", "")) or [0.0])[0]
            # Width from the glyphs drawn (full-width digits are an em each), text as NFKC.
            runs.append(TextRun(x, y, normalize(drawn), size, x + advance_em(drawn) * size))
    return runs


def _local(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _all(root: Element, name: str) -> list[Element]:
    return [element for element in root.iter() if _local(element) == name]


def _first(root: Element, name: str) -> Element | None:
    return next((element for element in root.iter() if _local(element) == name), None)


def _text(element: Element | None) -> str | None:
    return (element.text or "").strip() or None if element is not None else None


def _floats(value: str) -> list[float]:
    return [float(v) for v in _FLOAT.findall(value)]


def _resolve(base_file: str, location: str) -> str:
    """OFD locations are package-absolute with a leading `/`, else relative to the citing file."""
    if location.startswith("/"):
        return location.lstrip("/")
    return str(PurePosixPath(base_file.lstrip("/")).parent / location)


def is_ofd_package(archive_names: list[str]) -> bool:
    return any(name.lstrip("/").lower() == "ofd.xml" for name in archive_names)
