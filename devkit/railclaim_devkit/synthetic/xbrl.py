"""The issuer XBRL instance (`rai_issuer_*.xml`) that 12306 embeds in every PDF and OFD."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from railclaim_devkit.synthetic.face_layout import TITLE
from railclaim_devkit.synthetic.spec import InvoiceSpec, money
from railclaim_devkit.synthetic.xbrl_writer import Fact, write_instance

DEFAULT_TAXONOMY_DATE = "2021-11-30"


@dataclass(frozen=True, slots=True)
class XbrlOptions:
    """Variation the parser must tolerate: another taxonomy date, absent optional elements."""

    taxonomy_date: str = DEFAULT_TAXONOMY_DATE
    # 电子客票号 as `ElectronicTicketNum` is unconfirmed; real files may lack it.
    e_ticket_element: bool = True
    # Real files write empty optional elements; `False` leaves them out altogether.
    empty_elements: bool = True
    # Leading comment, as the samples carry; `False` starts right at the root element.
    comment: bool = True
    # DOMAIN §4: elements parsers of real files report (IssuePartyCode, AmountRefunded,
    # FareOfOriginalRailwayTicket, Remarks), and `IssueParty` written as `xsi:nil`.
    extra_elements: bool = False
    issue_party_nil: bool = False


DEFAULT_XBRL = XbrlOptions()


def rai_namespace(taxonomy_date: str = DEFAULT_TAXONOMY_DATE) -> str:
    return f"http://xbrl.mof.gov.cn/taxonomy/{taxonomy_date}/rai"


def seat_element_text(spec: InvoiceSpec) -> str:
    if spec.seat is None:
        return ""
    return spec.seat if "号" in spec.seat else f"{spec.seat}号"


def xbrl_facts(spec: InvoiceSpec, options: XbrlOptions = DEFAULT_XBRL) -> list[tuple[str, str]]:
    """(element, text) pairs in the order real instances list them; money facts end in a unit."""
    facts = [
        ("TypeOfVoucher", TITLE),
        ("ElectronicInvoiceRailwayETicketNumber", spec.invoice_number),
        ("DateOfIssue", spec.issue_date.isoformat()),
        ("TypeOfBusiness", spec.business_type_label),
        ("DepartureStation", spec.departure_station),
        ("PhonicsOfDepartureStation", spec.departure_pinyin),
        ("DestinationStation", spec.arrival_station),
        ("PhonicsOfDestinationStation", spec.arrival_pinyin),
        ("TrainNumber", spec.train_number),
        ("TravelDate", spec.travel_date.isoformat()),
        ("DepartureTime", f"{spec.departure_time:%H:%M}"),
        ("AirConditioningCharacteristics", ""),
        ("SeatLevel", spec.seat_class),
        ("Carriage", f"{spec.carriage}车" if spec.carriage else ""),
        ("Seat", seat_element_text(spec)),
        ("Fare", money(spec.fare)),
    ]
    if options.e_ticket_element and spec.e_ticket_number is not None:
        facts.append(("ElectronicTicketNum", spec.e_ticket_number))
    facts += [
        ("IdNumber", spec.passenger_id_masked),
        ("Name", spec.passenger_name),
        ("TotalAmountExcludingTax", money(spec.amount_excluding_tax)),
        ("TaxRate", f"{spec.tax_rate:.2f}"),
        ("TaxAmount", money(spec.tax_amount)),
        ("NameOfPurchaser", spec.buyer_name),
        ("UnifiedSocialCreditCodeOfPurchaser", spec.buyer_tax_id or ""),
        ("NumberOfOriginalInvoice", spec.original_invoice_number or ""),
        ("IssueParty", spec.issue_party),
    ]
    if options.extra_elements:
        facts += _extra_facts(spec)
    if not options.empty_elements:
        nil = "IssueParty" if options.issue_party_nil else None
        facts = [(name, text) for name, text in facts if text or name == nil]
    return facts


def _extra_facts(spec: InvoiceSpec) -> list[tuple[str, str]]:
    # A refund pays back the fare less the fee; the original fare is not in the spec, so a
    # plausible one stands in (the parser must ignore these elements, whatever they hold).
    original_fare = abs(spec.fare) * 10 if spec.business_type == "refund" else abs(spec.fare)
    refunded = original_fare - abs(spec.fare) if spec.business_type == "refund" else 0
    return [
        ("IssuePartyCode", "12306"),
        ("AmountRefunded", money(Decimal(refunded))),
        ("FareOfOriginalRailwayTicket", money(original_fare)),
        ("Remarks", f"{spec.face_marker or ''}"),
    ]


_UNITS = {
    "Fare": "CNY",
    "TotalAmountExcludingTax": "CNY",
    "TaxAmount": "CNY",
    "TaxRate": "Pure",
    "AmountRefunded": "CNY",
    "FareOfOriginalRailwayTicket": "CNY",
}


def render_xbrl(spec: InvoiceSpec, options: XbrlOptions = DEFAULT_XBRL) -> bytes:
    """The XBRL instance, UTF-8, laid out like the reference samples."""
    nil = "IssueParty" if options.issue_party_nil else None
    facts = [
        Fact(name, text, _UNITS.get(name), nil=name == nil)
        for name, text in xbrl_facts(spec, options)
    ]
    return write_instance(
        facts,
        prefix="rai",
        namespace=rai_namespace(options.taxonomy_date),
        identifier=spec.invoice_number,
        instant=spec.issue_date,
        comment="SYNTHETIC railway e-invoice: generated, not a real invoice."
        if options.comment
        else None,
    )


def attachment_name(spec: InvoiceSpec) -> str:
    """Real files name it `rai_issuer_<…>.xml`; here the suffix is the invoice number."""
    return f"rai_issuer_{spec.invoice_number}.xml"
