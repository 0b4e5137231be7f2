"""The interface each kind of travel e-invoice implements: its XBRL, its face, its own checks.

The pipeline (PDF, OFD, XML, ZIP; cross-check; assembly) is shared; a kind brings only the rules
that differ: which taxonomy its XBRL uses and how its facts read, how its face is recognised and
read by position, which fields the face prints, and the checks on its amounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from xml.etree.ElementTree import Element

from app.invoices.parsing.business_evidence import NO_EVIDENCE, BusinessEvidence
from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.layout import TextLine
from app.invoices.parsing.model import Finding, InvoiceKind


@dataclass(frozen=True, slots=True)
class XbrlReading:
    """A kind's facts read from an XBRL tree; `issued` when the issuer's invoice number is there
    (a receiver's accounting file, or a stray instance, has the taxonomy but not that fact)."""

    fields: InvoiceFields
    issued: bool


@dataclass(frozen=True, slots=True)
class FaceReading:
    """Fields printed on the face, the kind it shows (None: no travel e-invoice at all), and what
    it says about its business type (`fields.business_type` is set only when that is clear)."""

    fields: InvoiceFields
    kind: InvoiceKind | None
    business: BusinessEvidence = NO_EVIDENCE


@dataclass(frozen=True, slots=True)
class KindRules:
    """One kind's field rules, as the shared pipeline calls them."""

    kind: InvoiceKind
    # The printed title (without 电子发票（…）), the surest sign of the kind on a face.
    title: str
    # The last segment of the kind's XBRL namespace, `http://xbrl.mof.gov.cn/taxonomy/<date>/…`.
    taxonomy: str
    # The tree's facts of this kind; None when it holds none (a file of another taxonomy).
    read_xbrl: Callable[[Element], XbrlReading | None]
    # The face's fields and business evidence from its reading-order lines and their text.
    read_face: Callable[[list[TextLine], str], tuple[InvoiceFields, BusinessEvidence]]
    # Whether a face read with these rules is this kind (title, else fields only it has).
    looks_like: Callable[[str, InvoiceFields], bool]
    # Fields the face prints (cross-checked against the XBRL), and those every face prints
    # (without them a file is unreadable; they include the invoice number and the fare).
    printed_fields: tuple[str, ...]
    always_printed: tuple[str, ...]
    # Findings on the kind's amounts (its arithmetic differs per kind).
    check_amounts: Callable[[InvoiceFields], list[Finding]]
    # Fields the kind computes from others once its sources are merged (air: 票价 + 燃油).
    derive: Callable[[InvoiceFields], InvoiceFields] = lambda fields: fields
    # How messages name a field where its name alone says too little (air: the flight table).
    field_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def label(self, name: str) -> str:
        return self.field_labels.get(name, name.replace("_", " "))

    @property
    def compared_fields(self) -> tuple[str, ...]:
        """Fields two renditions of one invoice must agree on: printed ones and the tax."""
        stated = ("amount_excluding_tax", "tax_rate", "tax_amount")
        return tuple(dict.fromkeys((*self.printed_fields, *stated)))
