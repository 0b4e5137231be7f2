"""The issuer's XBRL instance (财政部 电子凭证会计数据标准, `rai` taxonomy) read into fields."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.invoices.parsing.fields import (
    InvoiceFields,
    business_type_of,
    clean_text,
    parse_amount,
    parse_date,
    parse_time,
    strip_suffix,
)
from app.invoices.parsing.model import NotRailwayInvoice, UnreadableFile

# Any taxonomy date: 2021-11-30 is the one seen, later releases must still read.
_RAI_NAMESPACE = re.compile(r"^http://xbrl\.mof\.gov\.cn/taxonomy/[^/{}]+/rai$")
_TAG = re.compile(r"^\{([^}]*)\}(.+)$")


def parse_xbrl(data: bytes) -> InvoiceFields:
    """Parse an XBRL instance; refuse XML that is not railway `rai` data or is hostile."""
    facts = read_rai_facts(data)
    if not facts:
        raise NotRailwayInvoice("the XML holds no railway e-invoice (rai) data")
    return fields_from_facts(facts)


def read_rai_facts(data: bytes) -> dict[str, str]:
    """The rai elements' text by local name; empty when the XML is well-formed but not rai."""
    return rai_facts_of(parse_xml(data))


def rai_facts_of(root: Element) -> dict[str, str]:
    """The rai facts of a parsed tree (see `read_rai_facts`)."""
    facts: dict[str, str] = {}
    # Facts sit directly under <xbrli:xbrl>; iterating the whole tree tolerates wrappers.
    for element in root.iter():
        match = _TAG.match(element.tag) if isinstance(element.tag, str) else None
        if match and _RAI_NAMESPACE.match(match[1]):
            facts.setdefault(match[2], (element.text or "").strip())
    return facts


def parse_xml(data: bytes) -> Element:
    """Parse XML with defusedxml; anything hostile or malformed is an unreadable file."""
    try:
        # DTDs are refused outright: a railway XBRL has none, and entity tricks start there.
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
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
    return root


def fields_from_facts(facts: dict[str, str]) -> InvoiceFields:
    def text(name: str) -> str | None:
        return clean_text(facts.get(name))

    return InvoiceFields(
        invoice_number=text("ElectronicInvoiceRailwayETicketNumber"),
        business_type=business_type_of(facts.get("TypeOfBusiness")),
        issue_date=parse_date(facts.get("DateOfIssue")),
        train_number=text("TrainNumber"),
        departure_station=strip_suffix(facts.get("DepartureStation"), "站"),
        arrival_station=strip_suffix(facts.get("DestinationStation"), "站"),
        travel_date=parse_date(facts.get("TravelDate")),
        departure_time=parse_time(facts.get("DepartureTime")),
        seat_class=text("SeatLevel"),
        carriage=strip_suffix(facts.get("Carriage"), "车"),
        seat=strip_suffix(facts.get("Seat"), "号"),
        fare=parse_amount(facts.get("Fare")),
        amount_excluding_tax=parse_amount(facts.get("TotalAmountExcludingTax")),
        tax_rate=_parse_rate(facts.get("TaxRate")),
        tax_amount=parse_amount(facts.get("TaxAmount")),
        e_ticket_number=text("ElectronicTicketNum"),
        passenger_name=text("Name"),
        passenger_id_masked=text("IdNumber"),
        buyer_name=text("NameOfPurchaser"),
        buyer_tax_id=text("UnifiedSocialCreditCodeOfPurchaser"),
        original_invoice_number=text("NumberOfOriginalInvoice"),
    )


def _parse_rate(value: str | None) -> Decimal | None:
    """`0.09`, or `9%` as some issuers may write it."""
    text = (value or "").strip()
    if text.endswith("%"):
        percent = parse_amount(text[:-1])
        return None if percent is None else percent / 100
    return parse_amount(text)


def is_rai_xml(data: bytes) -> bool:
    """Whether well-formed XML carries rai facts; hostile XML still raises."""
    return bool(read_rai_facts(data))
