"""Where each piece of text sits on the air e-itinerary's face (DOMAIN §5), and the drawing order.

Same page, units and blocks as the railway face (`face_layout`), and the same `FaceStyle`: its
orders, colons, label spacing, full-width text, seal and amount quirks apply here too; the
railway-only options (station glyph, fare line, empty 退票费 label) do not.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from railclaim_devkit.synthetic.air_spec import AIR_TITLE, AirInvoiceSpec, AirSegment
from railclaim_devkit.synthetic.face_blocks import Piece, TextBlock, text_width
from railclaim_devkit.synthetic.face_layout import (
    BODY_SIZE,
    DEFAULT_STYLE,
    SEAL_SIZE,
    FaceStyle,
    date_text,
    label_separator,
)
from railclaim_devkit.synthetic.face_quirks import fullwidth_block, interleave_seal
from railclaim_devkit.synthetic.spec import money
from railclaim_devkit.synthetic.values import REGION_TAX_BUREAUS

AIR_TITLE_SIZE = 5.0
FLIGHT_HEADER = ("承运人", "航班号", "座位等级", "日期", "时间")
AMOUNT_LABELS = (
    "票价",
    "燃油附加费",
    "增值税税率",
    "增值税税额",
    "民航发展基金",
    "其他税费",
    "合计",
)
AIR_FEE_LABELS = {"refund": "退票费", "change": "改签费"}
# The paper itinerary's further columns, which an e-itinerary may print too (unconfirmed).
EXTRA_FLIGHT_HEADER = ("客票级别", "免费行李")
# Columns (mm from the left) of the flight table: 自/至, then FLIGHT_HEADER's five, then the extras.
_FLIGHT_X = (22.0, 58.0, 84.0, 102.0, 120.0, 150.0, 163.0, 183.0)
_AMOUNT_X = (22.0, 47.0, 72.0, 97.0, 122.0, 147.0, 172.0)
_HEADER_Y, _FIRST_ROW_Y, _ROW_STEP, _TO_OFFSET = 42.0, 49.0, 10.0, 5.0
_AMOUNT_LABEL_Y, _AMOUNT_Y = 92.0, 98.0
_VALUE_ROLES = frozenset({"amount_value", "amount_currency"})
_CHAIN_STEP = 6.0
# How an amount is marked: `CNY 330.28` (DOMAIN §5), `￥330.28` (the yen sign Chinese fonts and
# GBK carry; the half-width `¥` is what text extraction's NFKC makes of it) or bare `330.28`.
AirCurrency = Literal["CNY", "yen", "bare"]
_CURRENCY_MARKS: dict[str, str] = {"CNY": "CNY ", "yen": "￥", "bare": ""}


@dataclass(frozen=True, slots=True)
class AirFaceOptions:
    """Air-only face shapes beyond DOMAIN §5's (each unconfirmed, reported for paper itineraries
    or drawn by other issuers): `chained` prints the old paper layout, one line per airport
    (`自:A <flight 1>` / `至:B <flight 2>` / `至:C`); `currency` how amounts are marked;
    `zero_rate_text` the rate cell of a zero-rated (international) itinerary (`免税`, `不征税`)."""

    chained: bool = False
    currency: AirCurrency = "CNY"
    zero_rate_text: str = "0%"


DEFAULT_AIR_FACE = AirFaceOptions()


def layout_air_face(
    spec: AirInvoiceSpec,
    style: FaceStyle = DEFAULT_STYLE,
    *,
    extra_columns: bool = False,
    options: AirFaceOptions = DEFAULT_AIR_FACE,
) -> list[TextBlock]:
    """The itinerary face's text blocks in drawing order; `extra_columns` adds 客票级别 and
    免费行李 after 时间, as the paper itinerary prints them; `options` the air-only shapes."""
    blocks = _reading_blocks(spec, style, extra_columns, options)
    if style.order == "scrambled":
        blocks = _scramble(spec, blocks, style)
    elif style.order == "shuffled":
        seed = int.from_bytes(hashlib.sha256(spec.invoice_number.encode()).digest()[:8], "big")
        blocks = list(blocks)
        random.Random(seed).shuffle(blocks)
    return _apply_quirks(blocks, style)


def rate_text(rate: Decimal) -> str:
    """`9%`, `6%`, `0%`: the rate as the amounts row prints it."""
    return f"{(rate * 100).normalize():f}%"


def amount_texts(
    spec: AirInvoiceSpec, options: AirFaceOptions = DEFAULT_AIR_FACE
) -> tuple[str, ...]:
    """The amounts row's seven values in column order: `CNY 330.28` … `9%` … `CNY 480.00`."""
    mark = _CURRENCY_MARKS[options.currency]
    rate = rate_text(spec.tax_rate) if spec.tax_rate else options.zero_rate_text
    return (
        f"{mark}{money(spec.fare)}",
        f"{mark}{money(spec.fuel_surcharge)}",
        rate,
        f"{mark}{money(spec.tax_amount)}",
        f"{mark}{money(spec.civil_aviation_fund)}",
        f"{mark}{money(spec.other_taxes)}",
        f"{mark}{money(spec.total_amount)}",
    )


def amount_labels(spec: AirInvoiceSpec, style: FaceStyle = DEFAULT_STYLE) -> tuple[str, ...]:
    """The amounts header; a fee itinerary labels its 票价 column with the fee (unconfirmed)."""
    first = AIR_FEE_LABELS.get(spec.business_type, "票价") if style.fee_labels else "票价"
    return (first, *AMOUNT_LABELS[1:])


def segment_texts(segment: AirSegment, *, extra_columns: bool = False) -> tuple[str, ...]:
    """The 自 row's table values: carrier, flight, cabin letter, date, time (then the fare basis
    and the free baggage with `extra_columns`)."""
    texts = (
        segment.carrier,
        segment.flight_number,
        segment.cabin,
        date_text(segment.travel_date),
        f"{segment.departure_time:%H:%M}",
    )
    return (*texts, f"{segment.cabin}OW", "20K") if extra_columns else texts


def _header(extra_columns: bool) -> tuple[str, ...]:
    return FLIGHT_HEADER + EXTRA_FLIGHT_HEADER if extra_columns else FLIGHT_HEADER


def _one(role: str, x: float, y: float, text: str, size: float = BODY_SIZE) -> TextBlock:
    return TextBlock(role, size, (Piece(x, y, text),))


def _reading_blocks(
    spec: AirInvoiceSpec, style: FaceStyle, extra_columns: bool, options: AirFaceOptions
) -> list[TextBlock]:
    colon = label_separator(style)
    flights = _chained_blocks if options.chained else _flight_blocks
    return [
        *_head_blocks(spec, colon),
        *flights(spec, colon, extra_columns),
        *[
            _one("amount_label", x, _AMOUNT_LABEL_Y, label)
            for x, label in zip(_AMOUNT_X, amount_labels(spec, style), strict=True)
        ],
        *[
            _one("amount_value", x, _AMOUNT_Y, text)
            for x, text in zip(_AMOUNT_X, amount_texts(spec, options), strict=True)
        ],
        *_foot_blocks(spec, colon),
    ]


def _head_blocks(spec: AirInvoiceSpec, colon: str) -> list[TextBlock]:
    """Title, seal, number and date, the flags and the passenger."""
    return [
        _one("title", 48.0, 14.0, AIR_TITLE, AIR_TITLE_SIZE),
        _one("seal", 34.0, 5.0, "国家税务总局", SEAL_SIZE),
        _one("seal", 34.0, 8.5, REGION_TAX_BUREAUS[spec.region], SEAL_SIZE),
        _one("invoice_number", 140.0, 11.0, f"发票号码{colon}{spec.invoice_number}"),
        _one("issue_date", 140.0, 17.0, f"开票日期{colon}{date_text(spec.issue_date)}"),
        _one("domestic", 22.0, 26.0, f"国内国际标识{colon}{'国内' if spec.domestic else '国际'}"),
        _one("status", 100.0, 26.0, f"开票状态{colon}正常"),
        _one("passenger", 22.0, 33.0, f"旅客姓名{colon}{spec.passenger_name}"),
        _one("passenger_id", 100.0, 33.0, f"有效身份证件号码{colon}{spec.passenger_id_masked}"),
    ]


def _flight_blocks(spec: AirInvoiceSpec, colon: str, extra_columns: bool) -> list[TextBlock]:
    """The table header, then per flight its `自:` row of values and its `至:` line."""
    header = zip(_FLIGHT_X[1:], _header(extra_columns), strict=False)
    blocks = [_one("flight_header", x, _HEADER_Y, label) for x, label in header]
    for index, segment in enumerate(spec.segments):
        y = _FIRST_ROW_Y + index * _ROW_STEP
        departure = f"自{colon}{segment.departure_airport}"
        blocks.append(_one("segment_from", _FLIGHT_X[0], y, departure))
        values = segment_texts(segment, extra_columns=extra_columns)
        blocks += [
            _one("segment_value", x, y, text)
            for x, text in zip(_FLIGHT_X[1:], values, strict=False)
        ]
        to = f"至{colon}{segment.arrival_airport}"
        blocks.append(_one("segment_to", _FLIGHT_X[0], y + _TO_OFFSET, to))
    return blocks


def _chained_blocks(spec: AirInvoiceSpec, colon: str, extra_columns: bool) -> list[TextBlock]:
    """The paper itinerary's chain: the first flight on the `自:` line, each next one on the
    `至:` line of the airport it leaves from, the last arrival alone on the last `至:` line."""
    header = zip(_FLIGHT_X[1:], _header(extra_columns), strict=False)
    blocks = [_one("flight_header", x, _HEADER_Y, label) for x, label in header]
    for index, segment in enumerate(spec.segments):
        y = _FIRST_ROW_Y + index * _CHAIN_STEP
        label, role = ("自", "segment_from") if index == 0 else ("至", "segment_to")
        blocks.append(_one(role, _FLIGHT_X[0], y, f"{label}{colon}{segment.departure_airport}"))
        values = segment_texts(segment, extra_columns=extra_columns)
        blocks += [
            _one("segment_value", x, y, text)
            for x, text in zip(_FLIGHT_X[1:], values, strict=False)
        ]
    last_y = _FIRST_ROW_Y + len(spec.segments) * _CHAIN_STEP
    last = f"至{colon}{spec.segments[-1].arrival_airport}"
    return [*blocks, _one("segment_to", _FLIGHT_X[0], last_y, last)]


def _foot_blocks(spec: AirInvoiceSpec, colon: str) -> list[TextBlock]:
    """E-ticket number, 填开日期 and 填开单位, the buyer."""
    fill_date = f"填开日期{colon}{date_text(spec.printed_fill_date)}"
    return [
        _one("e_ticket", 22.0, 106.0, f"电子客票号码{colon}{spec.e_ticket_number}"),
        _one("fill_date", 120.0, 106.0, fill_date),
        _one("issuer", 22.0, 112.0, f"填开单位{colon}{spec.issuer}"),
        _one("buyer", 22.0, 120.0, f"购买方名称{colon}{spec.buyer_name}"),
        _one("buyer_tax_id", 118.0, 120.0, f"统一社会信用代码{colon}{spec.buyer_tax_id or ''}"),
    ]


def _scramble(spec: AirInvoiceSpec, blocks: list[TextBlock], style: FaceStyle) -> list[TextBlock]:
    """A drawing order far from reading order, positions unchanged: arrival airports before
    departures, each airport before its `自:`/`至:`; the table column by column; `CNY` apart
    from its number and the amounts before their labels; the ID run into the name; title last."""
    colon = label_separator(style)
    by_role: dict[str, list[TextBlock]] = {}
    for block in blocks:
        by_role.setdefault(block.role, []).append(block)
    values = by_role["segment_value"]
    width = len(values) // len(spec.segments)
    columns = [values[column::width] for column in range(width)]
    out = [_label_after_value(b, "至" + colon, "segment_to") for b in by_role["segment_to"]]
    out += [_label_after_value(b, "自" + colon, "segment_from") for b in by_role["segment_from"]]
    out += [_column(column) for column in columns]
    out += [_currency_apart(block) for block in by_role["amount_value"]]
    out += by_role["amount_label"] + by_role["flight_header"]
    out += _passenger_run(spec, by_role["passenger"][0], by_role["passenger_id"][0], colon)
    ticket = by_role["e_ticket"][0].pieces[0]
    ticket_label = f"电子客票号码{colon}"
    number_x = ticket.x + text_width(ticket_label, BODY_SIZE)
    out.append(_one("e_ticket", number_x, ticket.y, spec.e_ticket_number))
    for role in ("buyer", "buyer_tax_id", "fill_date", "issuer", "invoice_number", "issue_date"):
        out += by_role[role]
    out += [_one("e_ticket_label", ticket.x, ticket.y, ticket_label)]
    out += by_role["domestic"] + by_role["status"] + by_role["seal"] + by_role["title"]
    return out


def _passenger_run(
    spec: AirInvoiceSpec, name_block: TextBlock, id_block: TextBlock, colon: str
) -> list[TextBlock]:
    """The masked ID and the name in one run (`1101011990****1234张三`), their labels after."""
    name, masked = name_block.pieces[0], id_block.pieces[0]
    id_label, name_label = f"有效身份证件号码{colon}", f"旅客姓名{colon}"
    id_x = masked.x + text_width(id_label, BODY_SIZE)
    name_x = name.x + text_width(name_label, BODY_SIZE)
    pieces = (
        Piece(id_x, masked.y, spec.passenger_id_masked),
        Piece(name_x, name.y, spec.passenger_name),
    )
    return [
        TextBlock("passenger", BODY_SIZE, pieces),
        _one("passenger_label", name.x, name.y, name_label),
        _one("passenger_id_label", masked.x, masked.y, id_label),
    ]


def _label_after_value(block: TextBlock, label: str, role: str) -> TextBlock:
    piece = block.pieces[0]
    value_x = piece.x + text_width(label, block.size)
    pieces = (Piece(value_x, piece.y, piece.text[len(label) :]), Piece(piece.x, piece.y, label))
    return TextBlock(role, block.size, pieces)


def _column(column: list[TextBlock]) -> TextBlock:
    return TextBlock("segment_value", BODY_SIZE, tuple(block.pieces[0] for block in column))


def _currency_apart(block: TextBlock) -> TextBlock:
    piece = block.pieces[0]
    if not piece.text.startswith("CNY "):
        return block
    number_x = piece.x + text_width("CNY ", block.size)
    pieces = (Piece(piece.x, piece.y, "CNY"), Piece(number_x, piece.y, piece.text[4:]))
    return TextBlock("amount_value", block.size, pieces)


def _apply_quirks(blocks: list[TextBlock], style: FaceStyle) -> list[TextBlock]:
    if style.amount_before_label:
        values = [b for b in blocks if b.role in _VALUE_ROLES]
        rest = [b for b in blocks if b.role not in _VALUE_ROLES]
        at = next(i for i, b in enumerate(rest) if b.role == "amount_label")
        blocks = rest[:at] + values + rest[at:]
    if style.id_after_amount:
        ids = [b for b in blocks if b.role == "passenger_id"]
        rest = [b for b in blocks if b.role != "passenger_id"]
        at = max(i for i, b in enumerate(rest) if b.role in _VALUE_ROLES) + 1
        blocks = rest[:at] + ids + rest[at:]
    if style.seal_interleaved:
        blocks = interleave_seal(blocks)
    if style.fullwidth_text:
        blocks = [fullwidth_block(block) for block in blocks]
    return blocks
