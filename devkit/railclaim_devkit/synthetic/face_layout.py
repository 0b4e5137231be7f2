"""Where each piece of text sits on the invoice face, and in which order a file draws it.

Coordinates are millimetres on the 210 x 140 mm 数电票 page, origin top-left, `y` the baseline, so
the same layout drives the PDF (points, origin bottom-left) and the OFD (millimetres, top-left).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from typing import Literal

# Re-exported: the renderers and tests take the block types from the layout.
from railclaim_devkit.synthetic.face_blocks import Piece as Piece
from railclaim_devkit.synthetic.face_blocks import TextBlock as TextBlock
from railclaim_devkit.synthetic.face_blocks import text_width as text_width
from railclaim_devkit.synthetic.face_quirks import apply_drawing_quirks
from railclaim_devkit.synthetic.spec import InvoiceSpec, money
from railclaim_devkit.synthetic.values import REGION_TAX_BUREAUS

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 140.0
BODY_SIZE = 3.5
STATION_SIZE = 5.0
TITLE_SIZE = 5.5
SEAL_SIZE = 3.0
TITLE = "电子发票（铁路电子客票）"
FOOTER_LINES = ("买票请到12306 发货请到95306", "中国铁路祝您旅途愉快")
FEE_LABELS = {"refund": "退票费", "change": "改签费"}

Order = Literal["reading", "scrambled", "shuffled"]


@dataclass(frozen=True, slots=True)
class FaceStyle:
    """How a face is printed and drawn; each option mirrors something seen in real files.

    order: `reading` top to bottom; `scrambled` the drawing order DOMAIN §2 reports (stations in
    one run arrival first, `￥` and amount apart from `票价:`, time glued into the seat, ID glued to
    the name, title last); `shuffled` a seeded random order with positions unchanged.
    """

    fullwidth_colons: bool = False
    fare_own_line: bool = False
    order: Order = "reading"
    # `spaced`: "北京南  站" in one run, as in the sample; `separate`: 站 drawn as its own run.
    station_glyph: Literal["spaced", "separate"] = "spaced"
    # Fee invoices label their amount 退票费/改签费 instead of 票价 (face wording unconfirmed).
    fee_labels: bool = True
    # DOMAIN §4: sales printing an empty `退票费:` label; the amount drawn before its label; the
    # ID drawn right after the amount; the seal's glyphs drawn interleaved with the title's.
    empty_fee_label: bool = False
    amount_before_label: bool = False
    id_after_amount: bool = False
    seal_interleaved: bool = False
    # DOMAIN §2: digits, letters and colons full-width (as poppler returns them); label spacing:
    # `tight` `票价:`, `spaced` `票价:  ￥…`, `no-colon` `票价  ￥…`.
    fullwidth_text: bool = False
    label_spacing: Literal["tight", "spaced", "no-colon"] = "tight"


DEFAULT_STYLE = FaceStyle()


def date_text(day: dt.date) -> str:
    return f"{day.year:04d}年{day.month:02d}月{day.day:02d}日"


def label_separator(style: FaceStyle) -> str:
    """What follows a label before its value."""
    colon = "：" if style.fullwidth_colons else ":"
    return {"tight": colon, "spaced": colon + "  ", "no-colon": "  "}[style.label_spacing]


def fare_label(spec: InvoiceSpec, style: FaceStyle) -> str:
    word = FEE_LABELS.get(spec.business_type, "票价") if style.fee_labels else "票价"
    return word + label_separator(style)


def seat_text(spec: InvoiceSpec) -> str:
    """`05车08A号`; a berth carries its own 号 (`05车11号下铺`); 无座 shows the carriage only."""
    carriage = f"{spec.carriage}车" if spec.carriage else ""
    if spec.seat is None:
        return carriage
    return carriage + (spec.seat if "号" in spec.seat else f"{spec.seat}号")


def layout_face(spec: InvoiceSpec, style: FaceStyle = DEFAULT_STYLE) -> list[TextBlock]:
    """The face's text blocks in drawing order."""
    blocks = _reading_blocks(spec, style)
    if style.order == "scrambled":
        blocks = _scramble(spec, blocks)
    elif style.order == "shuffled":
        seed = int.from_bytes(hashlib.sha256(spec.invoice_number.encode()).digest()[:8], "big")
        blocks = list(blocks)
        random.Random(seed).shuffle(blocks)
    return apply_drawing_quirks(blocks, style)


def _one(
    role: str, x: float, y: float, text: str, size: float = BODY_SIZE, *, red: bool = False
) -> TextBlock:
    return TextBlock(role, size, (Piece(x, y, text),), red)


def _reading_blocks(spec: InvoiceSpec, style: FaceStyle) -> list[TextBlock]:
    colon = label_separator(style)
    departs = f"{spec.departure_time:%H:%M}开"
    blocks = [
        _one("title", 72.0, 14.0, TITLE, TITLE_SIZE),
        _one("seal", 40.0, 12.0, "国家税务总局", SEAL_SIZE),
        _one("seal", 40.0, 16.0, REGION_TAX_BUREAUS[spec.region], SEAL_SIZE),
        _one("invoice_number", 138.0, 12.0, f"发票号码{colon}{spec.invoice_number}"),
        _one("issue_date", 138.0, 18.0, f"开票日期{colon}{date_text(spec.issue_date)}"),
        *_station_blocks(spec, style),
        _one("departure_pinyin", 22.0, 42.0, spec.departure_pinyin),
        _one("arrival_pinyin", 135.0, 42.0, spec.arrival_pinyin),
        _one("departure", 22.0, 52.0, f"{date_text(spec.travel_date)} {departs}"),
        _one("seat", 90.0, 52.0, seat_text(spec)),
        _one("seat_class", 135.0, 52.0, spec.seat_class),
    ]
    label = fare_label(spec, style)
    amount_x, amount_y = (
        (22.0, 67.0) if style.fare_own_line else (24.0 + text_width(label, 3.5), 61.0)
    )
    amount = f"￥{money(spec.fare)}"
    e_ticket = f"电子客票号{colon}{spec.e_ticket_number or ''}"
    blocks += [
        _one("fare_label", 22.0, 61.0, label),
        _one("fare", amount_x, amount_y, amount),
        _one("passenger", 22.0, 75.0, f"{spec.passenger_id_masked} {spec.passenger_name}"),
        _one("e_ticket", 22.0, 84.0, e_ticket),
    ]
    if style.empty_fee_label and spec.business_type not in FEE_LABELS:
        blocks.append(_one("empty_fee_label", 120.0, 61.0, f"退票费{colon}"))
    if spec.face_marker:
        # In red on the fare line, then again in black right after the 电子客票号 value.
        marker_x = amount_x + text_width(amount, BODY_SIZE) + 4.0
        blocks.append(_one("marker", marker_x, amount_y, spec.face_marker, red=True))
        repeat_x = 22.0 + text_width(e_ticket, BODY_SIZE) + 2.0
        blocks.append(_one("marker_repeat", repeat_x, 84.0, spec.face_marker))
    blocks += _buyer_blocks(spec, colon)
    if spec.is_red_letter and spec.original_invoice_number:
        # The 数电 remark of a red-letter invoice names the blue one it reverses; its label ends
        # in 发票号码 too.
        remark = f"被红冲蓝字数电发票号码{colon}{spec.original_invoice_number}"
        blocks.append(_one("remark", 22.0, 106.0, remark))
    blocks += [
        _one("footer", 62.0, 118.0, FOOTER_LINES[0]),
        _one("footer", 70.0, 124.0, FOOTER_LINES[1]),
    ]
    return blocks


def _station_blocks(spec: InvoiceSpec, style: FaceStyle) -> list[TextBlock]:
    blocks = []
    for role, x, name in (
        ("departure_station", 22.0, spec.departure_station),
        ("train_number", 92.0, spec.train_number),
        ("arrival_station", 135.0, spec.arrival_station),
    ):
        if role == "train_number":
            blocks.append(_one(role, x, 36.0, name, STATION_SIZE))
            continue
        if style.station_glyph == "spaced":
            blocks.append(_one(role, x, 36.0, f"{name}  站", STATION_SIZE))
        else:
            blocks.append(_one(role, x, 36.0, name, STATION_SIZE))
            glyph_x = x + text_width(name, STATION_SIZE) + 2.0
            blocks.append(_one(role + "_glyph", glyph_x, 36.0, "站", STATION_SIZE))
    return blocks


def _buyer_blocks(spec: InvoiceSpec, colon: str) -> list[TextBlock]:
    code_label = f"统一社会信用代码{colon}"
    if spec.buyer_tax_id is None:
        # A personal title: the name runs straight into an empty USCC label, no 购买方名称 label.
        code_x = 22.0 + text_width(spec.buyer_name, BODY_SIZE)
        pieces = (Piece(22.0, 96.0, spec.buyer_name), Piece(code_x, 96.0, code_label))
        return [TextBlock("buyer", BODY_SIZE, pieces)]
    return [
        _one("buyer", 22.0, 96.0, f"购买方名称{colon}{spec.buyer_name}"),
        _one("buyer_tax_id", 118.0, 96.0, f"{code_label}{spec.buyer_tax_id}"),
    ]


def _scramble(spec: InvoiceSpec, blocks: list[TextBlock]) -> list[TextBlock]:
    """Re-cut and re-order the reading blocks the way anonymized real extractions show."""
    by_role = {b.role: b for b in blocks if b.role not in ("seal", "footer")}
    fare = by_role["fare"].pieces[0]
    departure = by_role["departure"].pieces[0]
    day, time = departure.text.split(" ")
    seat = by_role["seat"].pieces[0]
    passenger = by_role["passenger"].pieces[0]
    id_only = spec.passenger_id_masked
    name_x = passenger.x + text_width(id_only, BODY_SIZE)
    dep_x, arr_x = 22.0, 135.0
    out = [
        # Both stations in one run, arrival first, each with its 站; positions still left/right.
        TextBlock(
            "stations",
            STATION_SIZE,
            (
                Piece(arr_x, 36.0, f"{spec.arrival_station}站"),
                Piece(dep_x, 36.0, f"{spec.departure_station}站"),
            ),
        ),
        by_role["train_number"],
        by_role["arrival_pinyin"],
        by_role["departure_pinyin"],
        _one("fare_currency", fare.x, fare.y, "￥"),
        _one("fare", fare.x + text_width("￥", BODY_SIZE), fare.y, fare.text[1:]),
        _one("travel_date", departure.x, departure.y, day),
        by_role["seat_class"],
        # `HH:MM开` runs into the seat: one run, the seat right behind the time.
        TextBlock(
            "time_seat",
            BODY_SIZE,
            (
                Piece(departure.x + text_width(day + " ", BODY_SIZE), departure.y, time),
                Piece(seat.x, seat.y, seat.text),
            ),
        ),
        TextBlock(
            "passenger",
            BODY_SIZE,
            (
                Piece(passenger.x, passenger.y, id_only),
                Piece(name_x, passenger.y, spec.passenger_name),
            ),
        ),
        by_role["e_ticket"],
        *[b for b in blocks if b.role in ("buyer", "buyer_tax_id", "empty_fee_label")],
        *[b for b in blocks if b.role in ("marker", "marker_repeat")],
        by_role["invoice_number"],
        by_role["issue_date"],
        by_role["fare_label"],
        *[b for b in blocks if b.role in ("seal", "footer")],
        by_role["title"],
    ]
    return out
