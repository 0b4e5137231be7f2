"""The air e-itinerary's field rules (电子发票（航空运输电子客票行程单）): its `aei` XBRL, its face.

The XBRL's element names are UNCONFIRMED (DOMAIN §5): facts are matched by local name, case
aside, with or without a prefix such as `ElectronicInvoiceAir`, or by a known name ending theirs;
unknown elements are ignored. A flight is any element whose children name a flight number. The
face is read by position like the railway one: the flight table row by row (`自:` … / `至:` …),
the amounts by the column label above each value (`CNY`, `¥` or bare).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from app.invoices.parsing import face_text
from app.invoices.parsing.business_evidence import NO_EVIDENCE, BusinessEvidence
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
)
from app.invoices.parsing.kind_rules import KindRules, XbrlReading
from app.invoices.parsing.layout import TextLine, char_xs
from app.invoices.parsing.model import Finding, FlightSegment
from app.invoices.parsing.xbrl import LenientNames, local_name, split_tag, taxonomy_namespace

AIR_TITLE = "航空运输电子客票行程单"
_AEI_NAMESPACE = taxonomy_namespace("aei", re.IGNORECASE)
_ANY_TAXONOMY = re.compile(r"^https?://xbrl\.mof\.gov\.cn/taxonomy/[^/{}]+/[A-Za-z0-9_]+$")
_INVOICE_DIGITS = re.compile(r"\d{20}")
_TICKET_DIGITS = re.compile(r"\d{13}")
# Names seen or guessed for each fact, lower case; `ElectronicInvoiceAir…` and the like are
# prefixes a real taxonomy may add (the railway one names its number that way).
_FACT_NAMES: dict[str, tuple[str, ...]] = {
    "invoice_number": ("invoicenumber", "invoiceno", "einvoicenumber"),
    "business_type": ("typeofbusiness", "businesstype"),
    "issue_date": ("dateofissue", "issuedate", "invoicedate"),
    "domestic": ("domesticorinternational", "domesticinternational", "domesticflag"),
    "passenger_name": ("name", "passengername", "nameofpassenger"),
    "passenger_id_masked": ("idnumber", "passengeridnumber", "idcardnumber"),
    "fare": ("fare", "ticketfare"),
    "fuel_surcharge": ("fuelsurcharge", "fuelsurcharges"),
    "tax_rate": ("vatrate", "taxrate"),
    "tax_amount": ("vattaxamount", "taxamount", "vatamount"),
    "civil_aviation_fund": ("civilaviationdevelopmentfund", "civilaviationfund"),
    "other_taxes": ("othertaxes", "othertax", "othertaxesandfees"),
    "total_amount": ("totalamount", "totalamountincludingtax", "totalprice"),
    "e_ticket_number": ("electronicticketnum", "electronicticketnumber", "eticketnumber"),
    "buyer_name": ("nameofpurchaser", "purchasername", "buyername"),
    "buyer_tax_id": ("unifiedsocialcreditcodeofpurchaser", "purchasertaxid", "buyertaxid"),
    "original_invoice_number": ("numberoforiginalinvoice", "originalinvoicenumber"),
}
_FLIGHT_NAMES: dict[str, tuple[str, ...]] = {
    "carrier": ("carrier", "carriername", "airline"),
    "flight_number": ("flightnumber", "flightno"),
    "cabin": ("seatclass", "cabin", "cabinclass", "seatlevel", "bookingclass"),
    "travel_date": ("traveldate", "flightdate", "departuredate"),
    "departure_time": ("departuretime", "takeofftime"),
    "departure_airport": ("departureairport", "origin", "originairport"),
    "arrival_airport": ("arrivalairport", "destination", "destinationairport"),
}
# Prefixes a real taxonomy may put before a name (the railway one: ElectronicInvoiceRailway…).
_PREFIXES = ("electronicinvoiceair", "electronicinvoice", "aei", "air")
_FACTS = LenientNames.of(_FACT_NAMES, _PREFIXES)
_FLIGHT = LenientNames.of(_FLIGHT_NAMES, _PREFIXES)
_DOMESTIC = {"国内": True, "国际": False, "true": True, "false": False, "1": True, "0": False}
_DOMESTIC |= {"domestic": True, "international": False}

_ISO_OR_CHINESE_DATE = rf"({DATE[1:-1]}|\d{{4}}-\d{{1,2}}-\d{{1,2}})"
# An airport as printed, its terminal included (`北京首都T3`, `上海浦东 T2`, `广州白云(T1)`).
_AIRPORT = rf"[{HAN}A-Za-z·][{HAN}A-Za-z0-9·()\-]*(?:[ \t]+T\d{{1,2}}(?![\dA-Za-z]))?"
# A flight row: `自:<airport> <carrier> <flight> <cabin> <date> <time>`; the paper itinerary's
# chained layout prints the next flight on the `至:` line of the previous one's arrival.
_ROW = re.compile(
    rf"([自至]){COLON}({_AIRPORT})\s+([{HAN}A-Za-z·]+)\s+([A-Z0-9]{{2}}\d{{1,4}})\s*"
    # The cabin: a booking letter (Y, YB), the letter with its name (Y/经济舱, Y舱), or the name.
    rf"([A-Z][A-Z0-9]?(?:/?[{HAN}]{{0,4}}舱)?|[{HAN}]{{1,5}}舱)?\s*"
    rf"{_ISO_OR_CHINESE_DATE}\s*(\d{{1,2}}:\d{{2}})"
)
_TO = re.compile(rf"至{COLON}({_AIRPORT})")
# A line of the flight table that holds a flight (a `自`/`至` line with a time or a flight
# number): one the row pattern cannot read makes the whole table unreadable.
_FLIGHT_LIKE = re.compile(r"^\s*[自至].*(?:\d{1,2}:\d{2}|(?<![A-Z0-9])[A-Z0-9]{2}\d{3,4}\b)")
_HEADER_LABEL = re.compile("承运人|航班号|座位等级|日期|时间")
_HEADER = re.compile(r"承运人.*航班号")
_AMOUNT_LABEL = re.compile(
    r"票价|退票费|改签费|燃油附加费|增值税税率|增值税税额|民航发展基金|其他税费|合计"
)
_LABEL_FIELDS = {"燃油附加费": "fuel_surcharge", "增值税税额": "tax_amount", "合计": "total_amount"}
_LABEL_FIELDS |= {"民航发展基金": "civil_aviation_fund", "其他税费": "other_taxes"}
_FARE_LABELS = ("票价", "退票费", "改签费")
# An amount as DOMAIN §5 prints it (`CNY 330.28`), marked `¥`/`￥` instead, or bare with its two
# decimals (`330.28`) under its label; a sign may stand before the mark (`-¥330.28`). Two
# decimals at most: a wide (full-width) amount may run into the rate next to it (`18.359%`), or
# a bare one into the next (`64.2235.50`, `-2366.97-0.00`).
_MONEY = re.compile(
    r"(?:(-)\s*)?(?:CNY|[¥￥])\s*(-?\s*\d[\d,]*(?:\.\d{1,2})?)"
    r"|(?:(?<![\d.,:/\-])|(?<=\.\d\d))(-?\d[\d,]*\.\d{2})"
)
# The amounts' columns in DOMAIN §5's order, for a row whose labels cannot be read.
_DEFAULT_COLUMNS = ("票价", "燃油附加费", "增值税税额", "民航发展基金", "其他税费", "合计")
_RATE = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d+)?)\s*%")
# A zero-rated or exempt itinerary (international) may word its rate instead of `0%`.
_ZERO_RATE = re.compile("免税|不征税|免征")
_DOMESTIC_FACE = re.compile(rf"国内国际标识{COLON}(国内|国际)")
# A Latin name keeps its slash as the ticket prints it (`ZHANG/SAN`).
_NAME = re.compile(
    rf"旅客姓名{COLON}([{HAN}·A-Za-z](?:[{HAN}·A-Za-z/]*[{HAN}·A-Za-z])?"
    r"(?: [A-Za-z][A-Za-z/]*){0,3})"  # SMITH JOHN: a Latin name of several words
)
_MASKED_ID = r"([0-9A-Z]{4,10}\*{2,}[0-9A-Z]{1,4})"
_ID_LABELLED = re.compile(rf"有效身份证件号码{COLON}{_MASKED_ID}")
_ID_ANYWHERE = re.compile(_MASKED_ID)
# Without the 旅客姓名 label: the name beside the masked ID on its line, after it or before it.
_NAMES_BESIDE_ID = (
    re.compile(rf"{_MASKED_ID}[ \t]*([{HAN}·]{{2,}})"),
    re.compile(rf"([{HAN}·]{{2,}})[ \t]*{_MASKED_ID}"),
)
# 13 digits; paper itineraries print the carrier's 3 apart (`999-1234567890`): read as digits.
E_TICKET = re.compile(rf"电子客票号码{COLON}(\d{{3}}-?\d{{10}})(?!\d)")
_BARE_E_TICKET = re.compile(r"(?<![\d*])(\d{13})(?![\d*])")
PRINTED_FIELDS: tuple[str, ...] = (
    "invoice_number",
    "business_type",
    "issue_date",
    "segments",
    "fare",
    "fuel_surcharge",
    "tax_rate",
    "tax_amount",
    "civil_aviation_fund",
    "other_taxes",
    "total_amount",
    "e_ticket_number",
    "domestic",
    "passenger_name",
    "passenger_id_masked",
    "buyer_name",
    "buyer_tax_id",
)
# The VAT rate of a flight's fare and fuel surcharge, when the file states none.
AIR_TAX_RATE = Decimal("0.09")
_CENT = Decimal("0.01")


def _in_namespace(element: Element) -> bool:
    tag = split_tag(element)
    return tag is not None and _namespace_kind(tag[0]) is not None


@functools.lru_cache(maxsize=64)
def _namespace_kind(namespace: str) -> str | None:
    """`aei` for the air taxonomy's namespace, `other` for another 财政部 taxonomy's (the air
    name is unconfirmed: its facts decide), None for the rest; an instance uses a handful."""
    if _AEI_NAMESPACE.match(namespace):
        return "aei"
    return "other" if _ANY_TAXONOMY.match(namespace) else None


def _namespace(element: Element) -> str:
    tag = split_tag(element)
    return tag[0] if tag is not None else ""


def read_aei_xbrl(root: Element) -> XbrlReading | None:
    facts: list[Element] = []
    flights: list[FlightSegment] = []
    inside: set[int] = set()
    for element in root.iter():
        if id(element) in inside or not _in_namespace(element):
            continue
        children = [child for child in element if _in_namespace(child)]
        if not children:
            facts.append(element)
            continue
        inside.update(id(child) for child in element.iter())
        segment = _segment(_FLIGHT.values(children))
        if segment is not None:
            flights.append(segment)
    if not facts and not flights:
        return None
    fields = _fields_from_facts(facts)
    fields.segments = tuple(flights) or None
    if not any(_namespace_kind(_namespace(element)) == "aei" for element in facts):
        # Another taxonomy's name: an air itinerary only if its facts are an air itinerary's.
        air_only = (fields.segments, fields.fuel_surcharge, fields.civil_aviation_fund)
        if all(value is None for value in air_only):
            return None
    return XbrlReading(fields, fields.invoice_number is not None)


def _segment(values: dict[str, str]) -> FlightSegment | None:
    number = clean_text(values.get("flight_number"))
    if number is None:
        return None  # a tuple of something else (taxes, remarks)
    return FlightSegment(
        carrier=clean_text(values.get("carrier")),
        flight_number=number,
        cabin=clean_text(values.get("cabin")),
        travel_date=parse_date(values.get("travel_date")),
        departure_time=parse_time(values.get("departure_time")),
        departure_airport=clean_text(values.get("departure_airport")),
        arrival_airport=clean_text(values.get("arrival_airport")),
    )


def _fields_from_facts(elements: list[Element]) -> InvoiceFields:
    """The facts by lenient name; a number's length tells the invoice number (20 digits) from
    the e-ticket's (13): an element named like the e-ticket (`…ETicketNumber`, as the railway
    taxonomy names its invoice number) holding 20 digits is the invoice number, never the ticket
    (other lengths are kept as stated: the ticket key compares them)."""
    numbers: list[Element] = []
    rest: list[Element] = []
    for element in elements:
        found = _FACTS.lookup(local_name(element))
        is_ticket = found is not None and found[0] == "e_ticket_number"
        digits = (element.text or "").strip()
        (numbers if is_ticket and _INVOICE_DIGITS.fullmatch(digits) else rest).append(element)
    facts = _FACTS.values(rest)
    if numbers and "invoice_number" not in facts:
        facts["invoice_number"] = (numbers[0].text or "").strip()
    ticket = (facts.get("e_ticket_number") or "").strip()
    if _TICKET_DIGITS.fullmatch(ticket.replace("-", "")):
        facts["e_ticket_number"] = ticket.replace("-", "")  # `999-1234567890` as 13 digits
    elif _INVOICE_DIGITS.fullmatch(ticket):
        facts.pop("e_ticket_number")  # an invoice number's 20 digits: the face's ticket instead

    def text(name: str) -> str | None:
        return clean_text(facts.get(name))

    def amount(name: str) -> Decimal | None:
        return parse_amount(facts.get(name))

    return InvoiceFields(
        invoice_number=text("invoice_number"),
        business_type=business_type_of(facts.get("business_type")),
        issue_date=parse_date(facts.get("issue_date")),
        fare=amount("fare"),
        fuel_surcharge=amount("fuel_surcharge"),
        tax_rate=parse_rate(facts.get("tax_rate")),
        tax_amount=amount("tax_amount"),
        civil_aviation_fund=amount("civil_aviation_fund"),
        other_taxes=amount("other_taxes"),
        total_amount=amount("total_amount"),
        e_ticket_number=text("e_ticket_number"),
        domestic=_DOMESTIC.get((facts.get("domestic") or "").strip().lower()),
        passenger_name=text("passenger_name"),
        passenger_id_masked=masked_id(text("passenger_id_masked")),
        buyer_name=text("buyer_name"),
        buyer_tax_id=text("buyer_tax_id"),
        original_invoice_number=text("original_invoice_number"),
    )


def read_air_face(lines: list[TextLine], text: str) -> tuple[InvoiceFields, BusinessEvidence]:
    fields = InvoiceFields()
    fields.invoice_number = face_text.invoice_number(text)
    fields.issue_date = face_text.issue_date(text)[0]
    fields.segments = _flights(lines)
    fare_label = _read_amounts(lines, fields)
    domestic = first(_DOMESTIC_FACE, text)
    fields.domestic = None if domestic is None else domestic == "国内"
    fields.passenger_name = first(_NAME, text) or _name_beside_id(text)
    fields.passenger_id_masked = masked_id(first(_ID_LABELLED, text) or first(_ID_ANYWHERE, text))
    ticket = first(E_TICKET, text) or first(_BARE_E_TICKET, text)
    fields.e_ticket_number = ticket.replace("-", "") if ticket is not None else None
    fields.buyer_name, fields.buyer_tax_id = face_text.buyer(text)
    # The label over the first amount says what the itinerary bills: 票价, 退票费 or 改签费.
    business = BusinessEvidence(fare_label) if fare_label is not None else NO_EVIDENCE
    fields.business_type = business.clear_type()
    return fields, business


def _name_beside_id(text: str) -> str | None:
    for pattern, group in zip(_NAMES_BESIDE_ID, (2, 1), strict=True):
        name = first(pattern, text, group)
        if name is not None and not name.endswith(("号码", "证件")):
            return name
    return None


def _flights(lines: list[TextLine]) -> tuple[FlightSegment, ...] | None:
    """Each flight row with the `至:` line below it, top to bottom (positions, not stream order);
    None when the table shows a flight row that cannot be read (never a silent drop)."""
    header = next((line for line in lines if _HEADER.search(line.text)), None)
    columns = [x for x, _ in _columns(header, _HEADER_LABEL)] if header is not None else []
    flights: list[FlightSegment] = []
    row: re.Match[str] | None = None
    for line in lines:
        found = _ROW.search(_split_at(line, columns)) if re.search("[自至]", line.text) else None
        if found is None and _FLIGHT_LIKE.match(line.text):
            return None  # a flight row whose flight, date or time cannot be read
        arrival = _TO.search(line.text) if found is None else None
        if found is not None:
            if row is not None:
                # Chained (`至:<airport> <next flight>`): the previous flight lands there.
                chained = found[1] == "至"
                flights.append(_face_segment(row, _clean_airport(found[2]) if chained else None))
            row = found
        elif arrival is not None and row is not None:
            flights.append(_face_segment(row, _clean_airport(arrival[1])))
            row = None
    if row is not None:
        flights.append(_face_segment(row, None))
    return tuple(flights) or None


def _clean_airport(text: str) -> str:
    return " ".join(text.split())


def _columns(line: TextLine, labels: re.Pattern[str]) -> list[tuple[float, str]]:
    """Where each label of a header line starts, and the label."""
    xs = char_xs(line)
    return [(xs[m.start()], m[0]) for m in labels.finditer(line.text)]


def _split_at(line: TextLine, columns: list[float]) -> str:
    """The row's text, its runs joined within a table column and spaced between columns: a long
    airport, or a wide (full-width) value, may run up to the next column with no visible gap."""
    if not columns:
        return line.text
    tolerance = 0.25 * max(run.size for run in line.runs)
    parts: list[str] = []
    previous = -1
    for run in line.runs:
        column = sum(1 for x in columns if run.x >= x - tolerance)
        parts += [" ", run.text] if parts and column != previous else [run.text]
        previous = column
    return "".join(parts)


def _face_segment(row: re.Match[str], arrival: str | None) -> FlightSegment:
    return FlightSegment(
        carrier=row[3],
        flight_number=row[4],
        cabin=row[5],
        travel_date=parse_date(row[6]),
        departure_time=parse_time(row[7]),
        departure_airport=_clean_airport(row[2]),
        arrival_airport=arrival,
    )


def _read_amounts(lines: list[TextLine], fields: InvoiceFields) -> str | None:
    """The amounts row into `fields`, and the label of its first column (票价, or the fee a
    refund or change bills), None when no label row is read.

    With as many labels as values they pair in order (however wide each was drawn); else
    each value goes to the label nearest above it; without a label row, DOMAIN §5's order."""
    values = max(lines, key=lambda line: len(_MONEY.findall(line.text)), default=None)
    if values is None or not _MONEY.search(values.text):
        return None
    unmarked = _MONEY.sub(" ", values.text)
    rate = _RATE.search(unmarked)
    fields.tax_rate = Decimal(rate[1]) / 100 if rate else None
    if rate is None and _ZERO_RATE.search(unmarked):
        fields.tax_rate = Decimal(0)  # 免税 / 不征税: no VAT, so the tax must be 0
    xs = char_xs(values)
    found = [(xs[m.start()], _money(m)) for m in _MONEY.finditer(values.text)]
    headers = [line for line in lines if line.y < values.y and _AMOUNT_LABEL.search(line.text)]
    labelled = _columns(headers[-1], _AMOUNT_LABEL) if headers else []
    columns = [(x, label) for x, label in labelled if label != "增值税税率"]
    if len(columns) == len(found):
        pairs = [(label, amount) for (_, label), (_, amount) in zip(columns, found, strict=True)]
    elif columns:
        pairs = [(min(columns, key=lambda c: abs(c[0] - x))[1], amount) for x, amount in found]
    else:
        pairs = list(zip(_DEFAULT_COLUMNS, (amount for _, amount in found), strict=False))
    fare_label = None
    for label, amount in pairs:
        if label in _FARE_LABELS:
            fields.fare, fare_label = amount, label
        elif label in _LABEL_FIELDS:
            setattr(fields, _LABEL_FIELDS[label], amount)
    return fare_label if columns else None


def _money(match: re.Match[str]) -> Decimal | None:
    sign, marked, bare = match.groups()
    number = (marked if marked is not None else bare).replace(" ", "")
    amount = parse_amount(number)
    return -amount if amount is not None and sign and amount > 0 else amount


def looks_air(text: str, fields: InvoiceFields) -> bool:
    if AIR_TITLE in text:
        return True
    # The title may be missing from a damaged text layer; air-only fields still tell.
    return bool(fields.invoice_number and (fields.segments or E_TICKET.search(text)))


def derive_air_fields(fields: InvoiceFields) -> InvoiceFields:
    """The VAT base (票价 + 燃油) and the first flight in the railway-shaped journey fields."""
    if fields.fare is not None and fields.fuel_surcharge is not None:
        fields.amount_excluding_tax = fields.fare + fields.fuel_surcharge
    if fields.segments:
        flight = fields.segments[0]
        fields.travel_date, fields.departure_time = flight.travel_date, flight.departure_time
        fields.departure_station = flight.departure_airport
        fields.arrival_station = flight.arrival_airport
    return fields


def check_air_amounts(fields: InvoiceFields) -> list[Finding]:
    """合计 = 票价 + 燃油 + 税额 + 基金 + 其他, and the tax within a cent of rate × (票价 + 燃油).

    The printed tax is trusted for deduction (its rounding rule is unconfirmed, DOMAIN §5); only
    a difference beyond one cent is reported. The rate is the file's (9 % when it states none).
    """
    parts: tuple[Decimal | None, ...] = (fields.fare, fields.fuel_surcharge, fields.tax_amount)
    parts += (fields.civil_aviation_fund, fields.other_taxes)
    findings = []
    total = fields.total_amount
    if total is not None and all(part is not None for part in parts):
        added = sum((part for part in parts if part is not None), Decimal(0))
        if added != total:
            message = f"total {total} ≠ fare + fuel + tax + fund + other taxes ({added})"
            findings.append(Finding("arithmetic", message, "total_amount"))
    fare, fuel, tax = fields.fare, fields.fuel_surcharge, fields.tax_amount
    if fare is not None and fuel is not None and tax is not None:
        rate = fields.tax_rate if fields.tax_rate is not None else AIR_TAX_RATE
        if abs((fare + fuel) * rate - tax) > _CENT:
            message = f"tax {tax} ≠ (fare {fare} + fuel {fuel}) × rate {rate}"
            findings.append(Finding("arithmetic", message, "tax_amount"))
    return findings


AIR = KindRules(
    kind="air",
    title=AIR_TITLE,
    taxonomy="aei",
    read_xbrl=read_aei_xbrl,
    read_face=read_air_face,
    looks_like=looks_air,
    printed_fields=PRINTED_FIELDS,
    always_printed=("invoice_number", "fare", "total_amount", "segments"),
    field_labels={"segments": "flight (the flight table's 自:/至: rows)"},
    check_amounts=check_air_amounts,
    derive=derive_air_fields,
)
