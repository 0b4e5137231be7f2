"""The air e-itinerary's XBRL attachment. Its element names are UNCONFIRMED (DOMAIN §5): the
defaults are an OCR vendor's guesses, the options give the other shapes a parser must survive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from railclaim_devkit.synthetic.air_spec import AIR_TITLE, AirInvoiceSpec, AirSegment
from railclaim_devkit.synthetic.spec import money
from railclaim_devkit.synthetic.xbrl_writer import Fact, FactTuple, Item, write_instance

DEFAULT_AIR_TAXONOMY_DATE = "2024-11-30"
# `vendor`: the OCR vendor's names (`Fare`, `FuelSurcharge`, …); `prefixed`: every element
# named `ElectronicInvoiceAir<vendor name>`, as the railway taxonomy names its invoice number.
AirXbrlNaming = Literal["vendor", "prefixed"]
NAME_PREFIX = "ElectronicInvoiceAir"
FLIGHT_TUPLE = "FlightInformation"
# Parsed field → vendor element name, for the facts a parser reads.
AIR_ELEMENTS: dict[str, str] = {
    "invoice_number": "InvoiceNumber",
    "issue_date": "DateOfIssue",
    "business_type": "TypeOfBusiness",
    "domestic": "DomesticOrInternational",
    "passenger_name": "Name",
    "passenger_id_masked": "IdNumber",
    "fare": "Fare",
    "fuel_surcharge": "FuelSurcharge",
    "tax_rate": "VatRate",
    "tax_amount": "VatTaxAmount",
    "civil_aviation_fund": "CivilAviationDevelopmentFund",
    "other_taxes": "OtherTaxes",
    "total_amount": "TotalAmount",
    "e_ticket_number": "ElectronicTicketNum",
    "buyer_name": "NameOfPurchaser",
    "buyer_tax_id": "UnifiedSocialCreditCodeOfPurchaser",
    "original_invoice_number": "NumberOfOriginalInvoice",
}
# `AirSegment` field → element inside each FLIGHT_TUPLE.
FLIGHT_ELEMENTS: dict[str, str] = {
    "carrier": "Carrier",
    "flight_number": "FlightNumber",
    "cabin": "SeatClass",
    "travel_date": "TravelDate",
    "departure_time": "DepartureTime",
    "departure_airport": "DepartureAirport",
    "arrival_airport": "ArrivalAirport",
}


@dataclass(frozen=True, slots=True)
class AirXbrlOptions:
    """Variation the parser must tolerate; the defaults give the vendor's guessed instance."""

    taxonomy_date: str = DEFAULT_AIR_TAXONOMY_DATE
    prefix: str = "aei"
    naming: AirXbrlNaming = "vendor"
    # Elements no parser knows, sprinkled between the known ones and inside the flight tuples.
    extra_elements: bool = False
    # Real files may lack the 电子客票号码 element; the face always prints it.
    e_ticket_element: bool = True
    # Empty optional elements written (`True`) or left out.
    empty_elements: bool = True
    comment: bool = True
    # The namespace's last segment (`…/taxonomy/<date>/aei`); the real air name is unconfirmed.
    taxonomy: str = "aei"
    # The invoice number's element under another name (`ElectronicInvoiceAirETicketNumber`,
    # by analogy with the railway taxonomy's), written as is whatever `naming` says.
    invoice_number_element: str | None = None


DEFAULT_AIR_XBRL = AirXbrlOptions()


def aei_namespace(taxonomy_date: str = DEFAULT_AIR_TAXONOMY_DATE, taxonomy: str = "aei") -> str:
    return f"http://xbrl.mof.gov.cn/taxonomy/{taxonomy_date}/{taxonomy}"


def element_name(vendor_name: str, naming: AirXbrlNaming = "vendor") -> str:
    """The element's local name under `naming`."""
    return NAME_PREFIX + vendor_name if naming == "prefixed" else vendor_name


def air_xbrl_items(spec: AirInvoiceSpec, options: AirXbrlOptions = DEFAULT_AIR_XBRL) -> list[Item]:
    """The instance's facts and flight tuples in order, with vendor names."""
    items: list[Item] = [
        Fact("TypeOfVoucher", AIR_TITLE),
        Fact("InvoiceNumber", spec.invoice_number),
        Fact("DateOfIssue", spec.issue_date.isoformat()),
        Fact("TypeOfBusiness", spec.business_type_label),
        Fact("DomesticOrInternational", "国内" if spec.domestic else "国际"),
        Fact("Name", spec.passenger_name),
        Fact("IdNumber", spec.passenger_id_masked),
        *(_flight_tuple(segment, options) for segment in spec.segments),
        Fact("Fare", money(spec.fare), "CNY"),
        Fact("FuelSurcharge", money(spec.fuel_surcharge), "CNY"),
        Fact("VatRate", f"{spec.tax_rate:.2f}", "Pure"),
        Fact("VatTaxAmount", money(spec.tax_amount), "CNY"),
        Fact("CivilAviationDevelopmentFund", money(spec.civil_aviation_fund), "CNY"),
        Fact("OtherTaxes", money(spec.other_taxes), "CNY"),
        Fact("TotalAmount", money(spec.total_amount), "CNY"),
    ]
    if options.e_ticket_element:
        items.append(Fact("ElectronicTicketNum", spec.e_ticket_number))
    items += [
        Fact("DateOfFilling", spec.printed_fill_date.isoformat()),
        Fact("IssueParty", spec.issuer),
        Fact("NameOfPurchaser", spec.buyer_name),
        Fact("UnifiedSocialCreditCodeOfPurchaser", spec.buyer_tax_id or ""),
        Fact("NumberOfOriginalInvoice", spec.original_invoice_number or ""),
    ]
    if options.extra_elements:
        items = _sprinkle(items, _extra_facts(spec))
    if not options.empty_elements:
        items = [item for item in items if isinstance(item, FactTuple) or item.text]
    return items


def render_air_xbrl(spec: AirInvoiceSpec, options: AirXbrlOptions = DEFAULT_AIR_XBRL) -> bytes:
    """The XBRL instance, UTF-8, laid out like the railway one."""
    items = [_renamed(item, options.naming) for item in air_xbrl_items(spec, options)]
    if options.invoice_number_element is not None:
        number = element_name("InvoiceNumber", options.naming)
        items = [
            Fact(options.invoice_number_element, item.text, item.unit, item.nil)
            if isinstance(item, Fact) and item.name == number
            else item
            for item in items
        ]
    return write_instance(
        items,
        prefix=options.prefix,
        namespace=aei_namespace(options.taxonomy_date, options.taxonomy),
        identifier=spec.invoice_number,
        instant=spec.issue_date,
        comment="SYNTHETIC air e-itinerary: generated, not a real invoice."
        if options.comment
        else None,
    )


def air_attachment_name(spec: AirInvoiceSpec) -> str:
    """Like the railway `rai_issuer_<…>.xml` (the real air name is unobserved)."""
    return f"aei_issuer_{spec.invoice_number}.xml"


def _flight_tuple(segment: AirSegment, options: AirXbrlOptions) -> FactTuple:
    texts = {
        "carrier": segment.carrier,
        "flight_number": segment.flight_number,
        "cabin": segment.cabin,
        "travel_date": segment.travel_date.isoformat(),
        "departure_time": f"{segment.departure_time:%H:%M}",
        "departure_airport": segment.departure_airport,
        "arrival_airport": segment.arrival_airport,
    }
    facts = [Fact(FLIGHT_ELEMENTS[field], text) for field, text in texts.items()]
    if options.extra_elements:
        # Columns of the paper itinerary's table the e-itinerary may carry too.
        facts.insert(3, Fact("FareBasis", segment.cabin + "OW"))
        facts.append(Fact("FreeBaggageAllowance", "20K"))
        facts.append(Fact("NotValidAfter", segment.travel_date.isoformat()))
    return FactTuple(FLIGHT_TUPLE, tuple(facts))


def _extra_facts(spec: AirInvoiceSpec) -> list[Fact]:
    return [
        Fact("IssuePartyCode", "BJS123"),
        Fact("VerificationCode", spec.e_ticket_number[-4:]),
        Fact("InsurancePremium", "0.00", "CNY"),
        Fact("FareOfOriginalTicket", money(abs(spec.fare)), "CNY"),
        Fact("Remarks", ""),
        Fact("SalesOutletCode", "PEK999"),
    ]


def _sprinkle(items: list[Item], extras: list[Fact]) -> list[Item]:
    """Every third known item is followed by one extra; the rest close the instance."""
    out: list[Item] = []
    pending = list(extras)
    for index, item in enumerate(items):
        out.append(item)
        if index % 3 == 2 and pending:
            out.append(pending.pop(0))
    return out + pending


def _renamed(item: Item, naming: AirXbrlNaming) -> Item:
    if isinstance(item, FactTuple):
        facts = tuple(_renamed_fact(fact, naming) for fact in item.facts)
        return FactTuple(element_name(item.name, naming), facts)
    return _renamed_fact(item, naming)


def _renamed_fact(fact: Fact, naming: AirXbrlNaming) -> Fact:
    return Fact(element_name(fact.name, naming), fact.text, fact.unit, fact.nil)
