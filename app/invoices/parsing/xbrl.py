"""The issuers' XBRL instances (电子凭证会计数据标准) as XML: parsed safely, facts by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.invoices.parsing.model import UnreadableFile

_TAG = re.compile(r"^\{([^}]*)\}(.+)$")


def taxonomy_namespace(taxonomy: str, flags: int = 0) -> re.Pattern[str]:
    """A kind's namespace, `http://xbrl.mof.gov.cn/taxonomy/<date>/<taxonomy>`, any date; also
    as issuers' writers vary it: over https, with a trailing slash, the taxonomy in capitals."""
    name = re.escape(taxonomy)
    pattern = rf"^https?://xbrl\.mof\.gov\.cn/taxonomy/[^/{{}}]+/(?i:{name})/?$"
    return re.compile(pattern, flags)


def split_tag(element: Element) -> tuple[str, str] | None:
    """(namespace, local name) of an element in a namespace; None for others and comments."""
    match = _TAG.match(element.tag) if isinstance(element.tag, str) else None
    return (match[1], match[2]) if match else None


def local_name(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def facts_in(root: Element, namespace: re.Pattern[str]) -> dict[str, str]:
    """The text of the elements in `namespace` by local name (the first of each name wins)."""
    facts: dict[str, str] = {}
    # Facts sit directly under <xbrli:xbrl>; iterating the whole tree tolerates wrappers.
    for element in root.iter():
        tag = split_tag(element)
        if tag is not None and namespace.match(tag[0]):
            facts.setdefault(tag[1], (element.text or "").strip())
    return facts


@dataclass(frozen=True, slots=True)
class LenientNames:
    """Fields by element names that are not confirmed: each known name (lower case), bare or
    after a known prefix, matches exactly; else the longest known name ending the element's."""

    exact: dict[str, str]
    endings: tuple[tuple[str, str], ...]  # (known name, field), longest first

    @classmethod
    def of(cls, names: dict[str, tuple[str, ...]], prefixes: tuple[str, ...]) -> LenientNames:
        pairs = [(alias, field) for field, aliases in names.items() for alias in aliases]
        exact = {p + alias: field for alias, field in pairs for p in ("", *prefixes)}
        return cls(exact, tuple(sorted(pairs, key=lambda pair: -len(pair[0]))))

    def lookup(self, local: str) -> tuple[str, bool] | None:
        """(field, exact) for an element's local name, or None for an unknown element."""
        name = local.lower()
        exact = self.exact.get(name)
        if exact is not None:
            return exact, True
        return next(((field, False) for alias, field in self.endings if name.endswith(alias)), None)

    def values(self, elements: list[Element]) -> dict[str, str]:
        """Each field's text: from its first exactly named element, else its first by ending."""
        exact: dict[str, str] = {}
        ending: dict[str, str] = {}
        for element in elements:
            found = self.lookup(local_name(element))
            if found is not None:
                (exact if found[1] else ending).setdefault(found[0], (element.text or "").strip())
        return ending | exact


# An XML declaration's encoding; expat reads only single-byte ones and the UTF family itself.
_DECLARED_ENCODING = re.compile(
    r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*["'])([A-Za-z][A-Za-z0-9._-]*)(["'])"""
)
# GB2312 and GBK files often carry characters only their superset has.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030"}


def parse_xml(data: bytes) -> Element:
    """Parse XML with defusedxml; anything hostile or malformed is an unreadable file."""
    try:
        try:
            return _parse(data)
        except DefusedXmlException:
            raise
        except ValueError:  # "multi-byte encodings are not supported": GBK, GB18030, Big5, …
            return _parse(_as_utf8(data))
    except DefusedXmlException as exc:
        # Billion laughs and external entities both need a DTD: nothing is expanded or fetched.
        raise UnreadableFile(
            f"the XML uses a forbidden construct ({type(exc).__name__}): a DTD, entity "
            "declarations and external references are refused"
        ) from exc
    except XmlSyntaxError as exc:
        raise UnreadableFile(f"the XML is not well-formed: {exc}") from exc
    except LookupError as exc:  # an encoding declaration Python has no codec for
        raise UnreadableFile(f"the XML declares an unknown encoding: {exc}") from exc
    except ValueError as exc:  # the bytes do not decode as declared, or nothing is declared
        raise UnreadableFile(f"the XML cannot be read in the encoding it declares: {exc}") from exc


def _parse(data: bytes) -> Element:
    # DTDs are refused outright: an issuer's XBRL has none, and entity tricks start there.
    root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return root


def _as_utf8(data: bytes) -> bytes:
    """The document in UTF-8, decoded by Python's codec for its declared multi-byte encoding
    (every such encoding is ASCII-compatible, so the declaration itself reads as ASCII)."""
    head = data[:200].decode("ascii", errors="replace")
    match = _DECLARED_ENCODING.match(head)
    if match is None:
        raise ValueError("the XML declares no encoding expat can read")
    declared = match[2].lower()
    text = data.decode(_SUPERSET.get(declared, declared))
    # The declaration now says what the bytes are; nothing else in the document changes.
    return _DECLARED_ENCODING.sub(r"\1UTF-8\3", text, count=1).encode("utf-8")
