"""The air XBRL, whose element names are unconfirmed: matched leniently, never failed on, and
when it is not recognised the face alone is read. Hostile XML is refused as for railway."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.invoices.parsing import NotTravelInvoice, UnreadableFile, parse_file
from app.invoices.parsing.model import FlightSegment
from railclaim_devkit.synthetic import domain_sample_air_spec, layout_air_face
from railclaim_devkit.synthetic.pdf import render_face_pdf

AEI = "http://xbrl.mof.gov.cn/taxonomy/2024-11-30/aei"
SAMPLE = domain_sample_air_spec()
FLIGHT = FlightSegment(
    "中国国际航空", "CA1831", "Y", dt.date(2025, 3, 15), dt.time(8, 30), "北京首都", "上海虹桥"
)
VENDOR_FACTS = """
  <a:InvoiceNumber>25111000000012345678</a:InvoiceNumber>
  <a:DateOfIssue>2025-03-20</a:DateOfIssue>
  <a:TypeOfBusiness>售</a:TypeOfBusiness>
  <a:DomesticOrInternational>国内</a:DomesticOrInternational>
  <a:Name>张三</a:Name>
  <a:IdNumber>1101011990****1234</a:IdNumber>
  <a:FlightInformation>
    <a:Carrier>中国国际航空</a:Carrier><a:FlightNumber>CA1831</a:FlightNumber>
    <a:SeatClass>Y</a:SeatClass><a:TravelDate>2025-03-15</a:TravelDate>
    <a:DepartureTime>08:30</a:DepartureTime><a:DepartureAirport>北京首都</a:DepartureAirport>
    <a:ArrivalAirport>上海虹桥</a:ArrivalAirport>
  </a:FlightInformation>
  <a:Fare>330.28</a:Fare><a:FuelSurcharge>64.22</a:FuelSurcharge><a:VatRate>0.09</a:VatRate>
  <a:VatTaxAmount>35.50</a:VatTaxAmount>
  <a:CivilAviationDevelopmentFund>50.00</a:CivilAviationDevelopmentFund>
  <a:OtherTaxes>0.00</a:OtherTaxes><a:TotalAmount>480.00</a:TotalAmount>
  <a:ElectronicTicketNum>9991234567890</a:ElectronicTicketNum>
  <a:NameOfPurchaser>北京示例科技有限公司</a:NameOfPurchaser>
  <a:UnifiedSocialCreditCodeOfPurchaser>91110108MA01ABCD1E</a:UnifiedSocialCreditCodeOfPurchaser>
"""
EXPECTED = {
    "kind": "air",
    "invoice_number": "25111000000012345678",
    "issue_date": dt.date(2025, 3, 20),
    "business_type": "sale",
    "domestic": True,
    "passenger_name": "张三",
    "passenger_id_masked": "1101011990****1234",
    "segments": (FLIGHT,),
    "travel_date": dt.date(2025, 3, 15),
    "departure_station": "北京首都",
    "fare": Decimal("330.28"),
    "fuel_surcharge": Decimal("64.22"),
    "amount_excluding_tax": Decimal("394.50"),
    "tax_rate": Decimal("0.09"),
    "tax_amount": Decimal("35.50"),
    "civil_aviation_fund": Decimal("50.00"),
    "other_taxes": Decimal("0.00"),
    "total_amount": Decimal("480.00"),
    "e_ticket_number": "9991234567890",
    "buyer_tax_id": "91110108MA01ABCD1E",
    "source": "xbrl",
}


def instance(facts: str, namespace: str = AEI) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:a="{namespace}">'
        f"{facts}</xbrli:xbrl>"
    ).encode()


def read(data: bytes) -> dict[str, object]:
    [invoice] = parse_file(data, "itinerary.xml")
    return {name: getattr(invoice, name) for name in EXPECTED}


def renamed(facts: str, rename: dict[str, str]) -> str:
    for old, new in rename.items():
        facts = facts.replace(f"<a:{old}>", f"<a:{new}>").replace(f"</a:{old}>", f"</a:{new}>")
    return facts


def test_the_vendors_names_read_every_fact() -> None:
    assert read(instance(VENDOR_FACTS)) == EXPECTED


@pytest.mark.parametrize(
    "rename",
    [
        # ElectronicInvoiceAir… as the railway taxonomy names its number
        {n: f"ElectronicInvoiceAir{n}" for n in ("InvoiceNumber", "Fare", "FlightInformation")},
        # case aside
        {"Fare": "FARE", "VatTaxAmount": "vattaxamount", "FlightNumber": "flightNumber"},
        # other guesses: a known name ending the element's, another tuple name, other synonyms
        {"TotalAmount": "ItineraryTotalAmount", "FlightInformation": "Segment"},
        {"FlightNumber": "FlightNo", "SeatClass": "CabinClass", "VatRate": "TaxRate"},
        {
            "ElectronicTicketNum": "ETicketNumber",
            "CivilAviationDevelopmentFund": "CivilAviationFund",
        },
    ],
    ids=["prefixed", "case", "ending-and-tuple", "synonyms", "more-synonyms"],
)
def test_names_are_matched_leniently(rename: dict[str, str]) -> None:
    assert read(instance(renamed(VENDOR_FACTS, rename))) == EXPECTED


def test_unknown_elements_and_tuples_are_ignored_and_an_exact_name_beats_an_ending() -> None:
    extras = """
      <a:InsurancePremium>20.00</a:InsurancePremium><a:FareOfOriginalTicket>1.00</a:FareOfOriginalTicket>
      <a:BaseFare>999.00</a:BaseFare><a:Remarks/><a:IssueParty xsi:nil="true"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>
      <a:TaxBreakdown><a:Code>CN</a:Code><a:Amount>50.00</a:Amount></a:TaxBreakdown>
      <other:Fare xmlns:other="urn:example:not-aei">1.00</other:Fare>
    """
    facts = VENDOR_FACTS.replace("<a:Fare>", f"{extras}<a:Fare>")
    facts = facts.replace(
        "</a:ArrivalAirport>", "</a:ArrivalAirport><a:FareBasis>YOW</a:FareBasis>"
    )
    assert read(instance(facts)) == EXPECTED


@pytest.mark.parametrize(
    "namespace",
    [
        "http://xbrl.mof.gov.cn/taxonomy/2025-05-19/aei",
        "http://xbrl.mof.gov.cn/taxonomy/2026-01-01/AEI",
    ],
)
def test_any_taxonomy_date_is_read(namespace: str) -> None:
    assert read(instance(VENDOR_FACTS, namespace)) == EXPECTED


def test_several_flights_keep_their_order() -> None:
    second = (
        "<a:FlightInformation><a:Carrier>中国东方航空</a:Carrier>"
        "<a:FlightNumber>MU5102</a:FlightNumber><a:SeatClass>B</a:SeatClass>"
        "<a:TravelDate>2025-03-18</a:TravelDate><a:DepartureTime>19:05</a:DepartureTime>"
        "<a:DepartureAirport>上海虹桥</a:DepartureAirport>"
        "<a:ArrivalAirport>北京首都</a:ArrivalAirport></a:FlightInformation>"
    )
    facts = VENDOR_FACTS.replace("<a:Fare>", f"{second}<a:Fare>")
    [invoice] = parse_file(instance(facts))
    assert [s.flight_number for s in invoice.segments] == ["CA1831", "MU5102"]
    assert invoice.segments[1].travel_date == dt.date(2025, 3, 18)
    assert invoice.arrival_station == "上海虹桥"  # the first flight's, for list pages


@pytest.mark.parametrize(
    "namespace",
    [
        "http://xbrl.mof.gov.cn/taxonomy/2024-11-30/aei/extra",
        "urn:example:aei",
    ],
)
def test_an_unknown_taxonomy_is_no_travel_invoice(namespace: str) -> None:
    with pytest.raises(NotTravelInvoice) as refused:
        parse_file(instance(VENDOR_FACTS, namespace))
    assert refused.value.code == "not-a-travel-invoice"


@pytest.mark.parametrize("name", ["air", "aei2025", "eticket"])
def test_another_mof_taxonomy_name_with_air_facts_is_read(name: str) -> None:
    """The air taxonomy's name is unconfirmed: any 财政部 taxonomy whose facts are an air
    itinerary's (flights, 燃油附加费, 民航发展基金) is read as one."""
    [invoice] = parse_file(
        instance(VENDOR_FACTS, f"http://xbrl.mof.gov.cn/taxonomy/2025-05-19/{name}")
    )
    assert {key: getattr(invoice, key) for key in EXPECTED} == EXPECTED


def test_another_mof_taxonomy_without_air_facts_is_no_travel_invoice() -> None:
    facts = "<a:InvoiceNumber>25111000000012345678</a:InvoiceNumber><a:Fare>330.28</a:Fare>"
    with pytest.raises(NotTravelInvoice):
        parse_file(instance(facts, "http://xbrl.mof.gov.cn/taxonomy/2025-05-19/vat"))


def test_an_invoice_number_named_like_the_e_ticket_is_the_invoice_number() -> None:
    """`ElectronicInvoiceAirETicketNumber`, named as the railway taxonomy names its invoice
    number, holding 20 digits: the invoice number, never the 13-digit e-ticket number."""
    facts = VENDOR_FACTS.replace("<a:InvoiceNumber>", "<a:ElectronicInvoiceAirETicketNumber>")
    facts = facts.replace("</a:InvoiceNumber>", "</a:ElectronicInvoiceAirETicketNumber>")
    [invoice] = parse_file(instance(facts))
    assert (invoice.invoice_number, invoice.e_ticket_number) == (
        "25111000000012345678",
        "9991234567890",
    )
    alone = facts.replace("<a:ElectronicTicketNum>9991234567890</a:ElectronicTicketNum>", "")
    [invoice] = parse_file(instance(alone))
    assert (invoice.invoice_number, invoice.e_ticket_number) == ("25111000000012345678", None)


def test_an_e_ticket_element_holding_an_invoice_number_is_not_the_e_ticket() -> None:
    facts = VENDOR_FACTS.replace("9991234567890", "25111000000012345678")
    [invoice] = parse_file(instance(facts))
    assert invoice.e_ticket_number is None
    dashed = VENDOR_FACTS.replace("9991234567890", "999-1234567890")
    assert parse_file(instance(dashed))[0].e_ticket_number == "9991234567890"


def test_an_instance_without_an_invoice_number_is_unreadable() -> None:
    facts = VENDOR_FACTS.replace(
        "<a:InvoiceNumber>25111000000012345678</a:InvoiceNumber>", "<a:InvoiceNumber/>"
    )
    with pytest.raises(UnreadableFile, match="invoice number"):
        parse_file(instance(facts))


HOSTILE = [
    # billion laughs
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    f'<x:xbrl xmlns:x="http://www.xbrl.org/2003/instance" xmlns:a="{AEI}">'
    "<a:InvoiceNumber>&b;</a:InvoiceNumber></x:xbrl>",
    # external entity
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    f'<x:xbrl xmlns:x="http://www.xbrl.org/2003/instance" xmlns:a="{AEI}">'
    "<a:Name>&e;</a:Name></x:xbrl>",
]


@pytest.mark.parametrize("xml", HOSTILE, ids=["billion-laughs", "external-entity"])
def test_hostile_air_xml_is_refused_alone_and_inside_a_pdf(xml: str) -> None:
    with pytest.raises(UnreadableFile, match="forbidden construct"):
        parse_file(xml.encode())
    pdf = _pdf_with(xml.encode(), "aei_issuer_25111000000012345678.xml")
    with pytest.raises(UnreadableFile, match="forbidden construct"):
        parse_file(pdf)


def _pdf_with(attachment: bytes, name: str) -> bytes:
    """DOMAIN §5's sample face with `attachment` embedded as its XBRL."""
    return render_face_pdf(
        layout_air_face(SAMPLE),
        attachment=(name, attachment),
        created_on=SAMPLE.issue_date,
        title="电子发票（航空运输电子客票行程单）",
    )


@pytest.mark.parametrize(
    ("xml", "codes"),
    [
        (instance(VENDOR_FACTS, "urn:example:aei"), []),  # no XBRL of 财政部's at all
        (
            instance(VENDOR_FACTS.replace("InvoiceNumber>", "Number>")),  # no invoice number
            ["xbrl-unrecognised"],
        ),
        (instance("<a:Fare>330.28</a:Fare>", "http://xbrl.mof.gov.cn/t/x"), []),
        (
            instance("<a:Fare>330.28</a:Fare>", "http://xbrl.mof.gov.cn/taxonomy/2025-05-19/vat"),
            ["xbrl-unrecognised"],
        ),
    ],
    ids=["foreign-namespace", "no-invoice-number", "not-a-taxonomy", "no-air-facts"],
)
def test_an_xbrl_that_is_not_recognised_leaves_the_face_to_read(
    xml: bytes, codes: list[str]
) -> None:
    """The face alone is read; an attached XBRL instance of 财政部's that was not used says so."""
    [invoice] = parse_file(_pdf_with(xml, "itinerary.xml"))
    assert (invoice.source, invoice.xbrl) == ("text", None)
    assert (invoice.kind, invoice.total_amount, invoice.segments) == (
        "air",
        Decimal("480.00"),
        (FLIGHT,),
    )
    assert [f.code for f in invoice.findings] == codes
    if codes:
        assert "itinerary.xml" in invoice.findings[0].message
