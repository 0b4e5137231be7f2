"""The railway e-invoice's field rules (电子发票（铁路电子客票）): its `rai` XBRL facts, its face.

The face is tolerant of 12306 quirks: values may sit far from their labels (`票价:` … `¥553.00`),
run into neighbours (`1101011990****1234张三`, `16:21开13车13D号`) or lack a label (a buyer name
glued to `统一社会信用代码:`). Every pattern anchors on the value's own shape first.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from app.invoices.parsing import face_text
from app.invoices.parsing.business_evidence import BusinessEvidence, read_business_evidence
from app.invoices.parsing.face_text import COLON, DATE, HAN, first
from app.invoices.parsing.field_limits import masked_id
from app.invoices.parsing.fields import (
    InvoiceFields,
    business_type_of,
    clean_text,
    parse_amount,
    parse_date,
    parse_rate,
    parse_time,
    strip_suffix,
)
from app.invoices.parsing.kind_rules import KindRules, XbrlReading
from app.invoices.parsing.layout import TextLine
from app.invoices.parsing.model import Finding
from app.invoices.parsing.xbrl import facts_in, taxonomy_namespace

_TIME = r"(\d{1,2}:\d{2})\s*开"

DATE_WITH_TIME = re.compile(rf"{DATE}\s*{_TIME}")
DEPARTURE_TIME = re.compile(_TIME)
CARRIAGE_SEAT = re.compile(r"(\d{1,3})\s*车\s*(?:(\d{1,3}[A-Za-z]?)\s*号\s*(上铺|中铺|下铺)?)?")
LOOSE_SEAT = re.compile(r"(?<![\d:])(\d{1,3}[A-Za-z]?)\s*号\s*(上铺|中铺|下铺)?")
SEAT_CLASSES: tuple[str, ...] = ("商务座", "特等座", "一等座", "二等座", "软卧", "硬卧", "动卧")
SEAT_CLASSES += ("一等卧", "二等卧", "软座", "硬座", "无座", "高级软卧", "高级动卧")
SEAT_CLASSES += ("优选一等座", "一等包座", "二等包座", "商务包座")
_ANY_SEAT_CLASS = "|".join(sorted(SEAT_CLASSES, key=len, reverse=True))
# A berth sold as a seat prints both: 软卧代二等座.
SEAT_CLASS = re.compile(rf"(?:{_ANY_SEAT_CLASS})(?:代(?:{_ANY_SEAT_CLASS}))?")
FARE = re.compile(r"(-)?[ \t]*¥[ \t]*(-)?[ \t]*(\d[\d,]*(?:\.\d+)?)")
LABELLED_FARE = re.compile(rf"(?:票价|退票费|改签费|退差价?款?|金额){COLON}(-?\d[\d,]*\.\d+)")
# A Latin name may be several words (SMITH JOHN); a Chinese one is one run of characters.
PASSENGER = re.compile(
    rf"([0-9A-Z]{{4,10}}\*{{2,}}[0-9A-Z]{{1,4}})\s*([{HAN}·]+|[A-Za-z]+(?: [A-Za-z]+){{0,3}})?"
)
E_TICKET = re.compile(rf"电子客票号{COLON}([0-9A-Za-z]{{8,40}})")
_HAN_CHAR = re.compile(rf"[{HAN}]")
TRAIN_NUMBER = re.compile(r"(?<![A-Za-z0-9])([GDCZTKLYS]?\d{1,5})(?![A-Za-z0-9])")
RAILWAY_TITLE = "铁路电子客票"

# Any taxonomy date: 2021-11-30 is the one seen, later releases must still read.
_RAI_NAMESPACE = taxonomy_namespace("rai")
# The one fact an issuer's railway instance always has (a receiver's file has its own).
_ISSUER_FACT = "ElectronicInvoiceRailwayETicketNumber"
# Fields the face prints. Amounts excluding tax, the rate and the tax are XBRL-only.
PRINTED_FIELDS: tuple[str, ...] = (
    "invoice_number",
    "business_type",
    "issue_date",
    "train_number",
    "departure_station",
    "arrival_station",
    "travel_date",
    "departure_time",
    "seat_class",
    "carriage",
    "seat",
    "fare",
    "e_ticket_number",
    "passenger_name",
    "passenger_id_masked",
    "buyer_name",
    "buyer_tax_id",
    "original_invoice_number",
)
# Tax is rounded to cents once, so excl × rate may differ from it by up to half a cent × (1 + rate).
_RATE_TOLERANCE = Decimal("0.01")


def read_rai_xbrl(root: Element) -> XbrlReading | None:
    facts = facts_in(root, _RAI_NAMESPACE)
    return XbrlReading(fields_from_facts(facts), _ISSUER_FACT in facts) if facts else None


def fields_from_facts(facts: dict[str, str]) -> InvoiceFields:
    def text(name: str) -> str | None:
        return clean_text(facts.get(name))

    return InvoiceFields(
        invoice_number=text(_ISSUER_FACT),
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
        tax_rate=parse_rate(facts.get("TaxRate")),
        tax_amount=parse_amount(facts.get("TaxAmount")),
        e_ticket_number=text("ElectronicTicketNum"),
        passenger_name=text("Name"),
        passenger_id_masked=masked_id(text("IdNumber")),
        buyer_name=text("NameOfPurchaser"),
        buyer_tax_id=text("UnifiedSocialCreditCodeOfPurchaser"),
        original_invoice_number=text("NumberOfOriginalInvoice"),
    )


def read_railway_face(lines: list[TextLine], text: str) -> tuple[InvoiceFields, BusinessEvidence]:
    fields = InvoiceFields()
    fields.invoice_number = face_text.invoice_number(text)
    fields.original_invoice_number = first(face_text.ORIGINAL_NUMBER, text)
    fields.issue_date, fields.travel_date = _dates(text)
    fields.departure_time = parse_time(first(DEPARTURE_TIME, text))
    fields.carriage, fields.seat = _carriage_and_seat(text)
    fields.seat_class = first(SEAT_CLASS, text, group=0)
    business = read_business_evidence(lines)
    fields.fare = _fare(lines, text, business.amount_at)
    fields.passenger_id_masked, fields.passenger_name = _passenger(text)
    fields.e_ticket_number = first(E_TICKET, text)
    fields.buyer_name, fields.buyer_tax_id = face_text.buyer(text)
    fields.business_type = business.clear_type()
    fields.departure_station, fields.arrival_station, fields.train_number = _journey(lines)
    return fields, business


def _dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    """(issue date, travel date): the labelled one is the issue date, the other the travel date."""
    issue, issue_start = face_text.issue_date(text)
    timed = DATE_WITH_TIME.search(text)
    if timed is not None:
        return issue, parse_date(timed[1])
    others = [m for m in face_text.ANY_DATE.finditer(text) if m.start(1) != issue_start]
    return issue, parse_date(others[0][1]) if others else None


def _carriage_and_seat(text: str) -> tuple[str | None, str | None]:
    """`05车08A号` → ("05", "08A"); a berth keeps its 号 (`11号下铺`); 无座 has no seat."""
    match = CARRIAGE_SEAT.search(text)
    if match is not None:
        return match[1], _seat(match[2], match[3])
    loose = LOOSE_SEAT.search(text)
    return None, _seat(loose[1], loose[2]) if loose else None


def _seat(number: str | None, berth: str | None) -> str | None:
    if number is None:
        return None
    return f"{number}号{berth}" if berth else number


def _fare(lines: list[TextLine], text: str, at: tuple[int, int] | None) -> Decimal | None:
    """The amount the invoice is for (see business_evidence), else the face's first amount."""
    match = FARE.match(lines[at[0]].text, at[1]) if at is not None else None
    if match is None:
        match = FARE.search(text)
    if match is not None:
        amount = parse_amount(match[3])
        negative = bool(match[1] or match[2])
        return -amount if amount is not None and negative else amount
    return parse_amount(first(LABELLED_FARE, text))


def _passenger(text: str) -> tuple[str | None, str | None]:
    match = PASSENGER.search(text)
    if match is None:
        return None, None
    return match[1], clean_text(match[2])


def _journey(lines: list[TextLine]) -> tuple[str | None, str | None, str | None]:
    """(departure, arrival, train): one line holds both `…站` left to right, the train between."""
    for line in lines:
        text = line.text
        if ":" in text:
            continue  # labelled lines (buyer, numbers) may contain 站 in a company name
        spans = _station_spans(text)
        stations = [text[start:end].replace(" ", "") for start, end, _ in spans]
        if len(stations) >= 2:
            rest = "".join(_outside(text, spans))
            train = TRAIN_NUMBER.search(rest)
            return stations[0], stations[-1], train[1] if train else _lone_train(lines)
    return None, None, _lone_train(lines)


def _station_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, end of 站) of each `…站` name: the Han characters before a 站, letter-spaced
    ones too (a single space between glyphs placed apart). Walked back from each 站 to the one
    before, so a line is read in linear time (a pattern retried at every start of a long run of
    characters without 站 took seconds)."""
    spans = []
    floor = 0
    for glyph in re.finditer("站", text):
        end = glyph.start()
        while end > floor and text[end - 1].isspace():
            end -= 1
        start = end
        while start > floor and _extends_name(text, start, end, floor):
            start -= 1
        if start < end:
            spans.append((start, end, glyph.end()))
        floor = glyph.end()
    return spans


def _is_name_glyph(char: str) -> bool:
    return char != "站" and _HAN_CHAR.match(char) is not None


def _extends_name(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the character before `start` belongs to the name ending at `end`: a glyph, or
    one space between two glyphs placed apart."""
    before = text[start - 1]
    if _is_name_glyph(before):
        return True
    return before == " " and start < end and start - 2 >= floor and _is_name_glyph(text[start - 2])


def _outside(text: str, spans: list[tuple[int, int, int]]) -> list[str]:
    """The text with each station (name and 站) replaced by a space."""
    pieces, last = [], 0
    for start, _end, after in spans:
        pieces += [text[last:start], " "]
        last = after
    return [*pieces, text[last:]]


def _lone_train(lines: list[TextLine]) -> str | None:
    """A train number drawn as its own run (`G1`, `D6291`), wherever it sits."""
    for line in lines:
        for run in line.runs:
            match = TRAIN_NUMBER.fullmatch(run.text.strip())
            if match and not run.text.strip().isdigit():
                return match[1]
    return None


def looks_railway(text: str, fields: InvoiceFields) -> bool:
    if RAILWAY_TITLE in text:
        return True
    # The title may be missing from a damaged text layer; railway-only fields still tell.
    journey = fields.departure_station and fields.arrival_station and fields.train_number
    return bool(fields.invoice_number and (fields.e_ticket_number or journey))


def check_railway_amounts(fields: InvoiceFields) -> list[Finding]:
    """票价 (tax included) = amount excluding tax + tax, and the tax = excl × rate to a cent."""
    fare, excl, tax, rate = (
        fields.fare,
        fields.amount_excluding_tax,
        fields.tax_amount,
        fields.tax_rate,
    )
    if fare is None or excl is None or tax is None:
        return []
    findings = []
    if excl + tax != fare:
        message = f"fare {fare} ≠ amount excluding tax {excl} + tax {tax}"
        findings.append(Finding("arithmetic", message, "fare"))
    if rate is not None and abs(excl * rate - tax) > _RATE_TOLERANCE:
        message = f"tax {tax} ≠ amount excluding tax {excl} × rate {rate}"
        findings.append(Finding("arithmetic", message, "tax_amount"))
    return findings


RAILWAY = KindRules(
    kind="railway",
    title=RAILWAY_TITLE,
    taxonomy="rai",
    read_xbrl=read_rai_xbrl,
    read_face=read_railway_face,
    looks_like=looks_railway,
    printed_fields=PRINTED_FIELDS,
    always_printed=("invoice_number", "fare"),
    check_amounts=check_railway_amounts,
)
