"""The printed face's fields from its reading-order lines (NFKC text), tolerant of 12306 quirks.

Labels may use either colon and any spacing; values may sit far from their labels (`票价:` …
`¥553.00`), run into neighbours (`1101011990****1234张三`, `16:21开13车13D号`) or lack a label
(a buyer name glued to `统一社会信用代码:`). Every pattern anchors on the value's own shape first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from app.invoices.parsing.business_evidence import (
    NO_EVIDENCE,
    BusinessEvidence,
    read_business_evidence,
)
from app.invoices.parsing.fields import (
    InvoiceFields,
    clean_text,
    parse_amount,
    parse_date,
    parse_time,
)
from app.invoices.parsing.layout import TextLine

_HAN = r"\u3400-\u9fff"
# NFKC turned `：` into `:`; the colon or the spacing may be missing, but a value stays on its line.
_C = r"[ \t]*:?[ \t]*"
_DATE = r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
_TIME = r"(\d{1,2}:\d{2})\s*开"

INVOICE_NUMBER = re.compile(rf"(?<!原)发票号码{_C}(\d{{20}})(?!\d)")
BARE_INVOICE_NUMBER = re.compile(r"(?<![\d*])(\d{20})(?![\d*])")
ISSUE_DATE = re.compile(rf"开票日期{_C}{_DATE}")
ANY_DATE = re.compile(_DATE)
DATE_WITH_TIME = re.compile(rf"{_DATE}\s*{_TIME}")
DEPARTURE_TIME = re.compile(_TIME)
CARRIAGE_SEAT = re.compile(r"(\d{1,3})\s*车\s*(?:(\d{1,3}[A-Za-z]?)\s*号\s*(上铺|中铺|下铺)?)?")
LOOSE_SEAT = re.compile(r"(?<![\d:])(\d{1,3}[A-Za-z]?)\s*号\s*(上铺|中铺|下铺)?")
SEAT_CLASSES: tuple[str, ...] = ("商务座", "特等座", "一等座", "二等座", "软卧", "硬卧", "动卧")
SEAT_CLASSES += ("一等卧", "二等卧", "软座", "硬座", "无座", "高级软卧")
SEAT_CLASS = re.compile("|".join(sorted(SEAT_CLASSES, key=len, reverse=True)))
FARE = re.compile(r"(-)?[ \t]*¥[ \t]*(-)?[ \t]*(\d[\d,]*(?:\.\d+)?)")
LABELLED_FARE = re.compile(rf"(?:票价|退票费|改签费|退差价?款?|金额){_C}(-?\d[\d,]*\.\d+)")
PASSENGER = re.compile(rf"([0-9A-Z]{{4,10}}\*{{2,}}[0-9A-Z]{{1,4}})\s*([{_HAN}·A-Za-z]+)?")
E_TICKET = re.compile(rf"电子客票号{_C}([0-9A-Za-z]{{8,40}})")
BUYER_LABELLED = re.compile(rf"购买方名称{_C}([^\n]*?)\s*(?=统一社会信用代码|$)", re.MULTILINE)
BUYER_GLUED = re.compile(r"([^\s:]+)\s*统一社会信用代码")
BUYER_TAX_ID = re.compile(rf"统一社会信用代码{_C}([0-9A-Z]{{15,20}})?")
ORIGINAL_NUMBER = re.compile(rf"原发票号码{_C}(\d{{20}})")
STATION = re.compile(rf"((?:(?!站)[{_HAN}])+)\s*站")
TRAIN_NUMBER = re.compile(r"(?<![A-Za-z0-9])([GDCZTKLYS]?\d{1,5})(?![A-Za-z0-9])")
RAILWAY_TITLE = "铁路电子客票"


@dataclass(frozen=True, slots=True)
class FaceReading:
    """Fields printed on the face, whether it looks like a railway e-invoice at all, and what it
    says about its business type (`fields.business_type` is set only when that is clear)."""

    fields: InvoiceFields
    is_railway: bool
    business: BusinessEvidence = NO_EVIDENCE


def read_face_fields(lines: list[TextLine]) -> FaceReading:
    text = "\n".join(line.text for line in lines)
    fields = InvoiceFields()
    fields.invoice_number = _invoice_number(text)
    fields.original_invoice_number = _first(ORIGINAL_NUMBER, text)
    fields.issue_date, fields.travel_date = _dates(text)
    fields.departure_time = parse_time(_first(DEPARTURE_TIME, text))
    fields.carriage, fields.seat = _carriage_and_seat(text)
    fields.seat_class = _first(SEAT_CLASS, text, group=0)
    fields.fare = _fare(text)
    fields.passenger_id_masked, fields.passenger_name = _passenger(text)
    fields.e_ticket_number = _first(E_TICKET, text)
    fields.buyer_name, fields.buyer_tax_id = _buyer(text)
    business = read_business_evidence(lines)
    fields.business_type = business.clear_type()
    fields.departure_station, fields.arrival_station, fields.train_number = _journey(lines)
    return FaceReading(fields, _looks_railway(text, fields), business)


def _first(pattern: re.Pattern[str], text: str, group: int = 1) -> str | None:
    match = pattern.search(text)
    return clean_text(match[group]) if match else None


def _invoice_number(text: str) -> str | None:
    labelled = _first(INVOICE_NUMBER, text)
    if labelled is not None:
        return labelled
    # A label drawn far from its digits can land on another line; the 20 digits are unmistakable.
    original = _first(ORIGINAL_NUMBER, text)
    bare = [m[1] for m in BARE_INVOICE_NUMBER.finditer(text) if m[1] != original]
    return bare[0] if bare else None


def _dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    """(issue date, travel date): the labelled one is the issue date, the other the travel date."""
    issue_match = ISSUE_DATE.search(text)
    issue = parse_date(issue_match[1]) if issue_match else None
    timed = DATE_WITH_TIME.search(text)
    if timed is not None:
        return issue, parse_date(timed[1])
    issue_start = issue_match.start(1) if issue_match else -1
    others = [m for m in ANY_DATE.finditer(text) if m.start(1) != issue_start]
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


def _fare(text: str) -> Decimal | None:
    match = FARE.search(text)
    if match is not None:
        amount = parse_amount(match[3])
        negative = bool(match[1] or match[2])
        return -amount if amount is not None and negative else amount
    return parse_amount(_first(LABELLED_FARE, text))


def _passenger(text: str) -> tuple[str | None, str | None]:
    match = PASSENGER.search(text)
    if match is None:
        return None, None
    return match[1], clean_text(match[2])


def _buyer(text: str) -> tuple[str | None, str | None]:
    tax_id = _first(BUYER_TAX_ID, text)
    labelled = BUYER_LABELLED.search(text)
    if labelled is not None:
        return clean_text(labelled[1]), tax_id
    # A personal title prints the name with no `购买方名称:` label, run into the USCC label.
    return _first(BUYER_GLUED, text), tax_id


def _journey(lines: list[TextLine]) -> tuple[str | None, str | None, str | None]:
    """(departure, arrival, train): one line holds both `…站` left to right, the train between."""
    for line in lines:
        text = line.text
        if ":" in text:
            continue  # labelled lines (buyer, numbers) may contain 站 in a company name
        stations = STATION.findall(text)
        if len(stations) >= 2:
            rest = STATION.sub(" ", text)
            train = TRAIN_NUMBER.search(rest)
            return stations[0], stations[-1], train[1] if train else _lone_train(lines)
    return None, None, _lone_train(lines)


def _lone_train(lines: list[TextLine]) -> str | None:
    """A train number drawn as its own run (`G1`, `D6291`), wherever it sits."""
    for line in lines:
        for run in line.runs:
            match = TRAIN_NUMBER.fullmatch(run.text.strip())
            if match and not run.text.strip().isdigit():
                return match[1]
    return None


def _looks_railway(text: str, fields: InvoiceFields) -> bool:
    if RAILWAY_TITLE in text:
        return True
    # The title may be missing from a damaged text layer; railway-only fields still tell.
    journey = fields.departure_station and fields.arrival_station and fields.train_number
    return bool(fields.invoice_number and (fields.e_ticket_number or journey))
