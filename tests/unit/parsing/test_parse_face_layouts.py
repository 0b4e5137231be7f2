"""Table-driven reading of face text laid out the many ways real 12306 files place it."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from tests.unit.parsing.faces import SAMPLE_RUNS, read, replace_runs

Placed = list[tuple[float, float, str]]


def _full_width(digits: str) -> str:
    return digits.translate({ord(d): ord(d) - ord("0") + ord("０") for d in "0123456789"})


CASES: list[tuple[str, Placed, dict[str, object]]] = [
    (
        "reference layout",
        SAMPLE_RUNS,
        {
            "invoice_number": "25119199999000000001",
            "issue_date": dt.date(2025, 3, 20),
            "departure_station": "北京南",
            "arrival_station": "上海虹桥",
            "train_number": "G1",
            "travel_date": dt.date(2025, 3, 15),
            "departure_time": dt.time(9, 0),
            "carriage": "05",
            "seat": "08A",
            "seat_class": "二等座",
            "fare": Decimal("553.00"),
            "passenger_id_masked": "1101011990****1234",
            "passenger_name": "张三",
            "e_ticket_number": "9999964086031590000012025",
            "buyer_name": "示例科技有限公司",
            "buyer_tax_id": "91110108MA00000070",
            "business_type": "sale",
        },
    ),
    (
        "full-width colons and digits, label spaced from value",
        replace_runs(
            SAMPLE_RUNS,
            ("发票号码", "开票日期", "票价"),
            [
                (380, 72, "发票号码 ：  " + _full_width("25119199999000000001")),
                (380, 87, "开票日期：２０２５年０３月２０日"),
                (60, 194, "票价： ￥５５３．００"),
            ],
        ),
        {
            "invoice_number": "25119199999000000001",
            "issue_date": dt.date(2025, 3, 20),
            "fare": Decimal("553.00"),
        },
    ),
    (
        "fare label far from its amount, yen sign a separate run",
        replace_runs(
            SAMPLE_RUNS,
            ("票价", "￥"),
            [(60, 194, "票价:"), (400, 194, "￥"), (412, 194, "553.00")],
        ),
        {"fare": Decimal("553.00")},
    ),
    (
        "fare on its own line below the label",
        replace_runs(SAMPLE_RUNS, ("￥",), [(60, 204, "￥1234.50")]),
        {"fare": Decimal("1234.50")},
    ),
    (
        "站 drawn as its own glyph, arrival drawn first",
        replace_runs(
            SAMPLE_RUNS,
            ("北京南", "上海虹桥", "G1"),
            [
                (330, 142, "上海虹桥"),
                (375, 142, "站"),
                (230, 142, "G1"),
                (60, 142, "北京南"),
                (95, 142, "站"),
            ],
        ),
        {"departure_station": "北京南", "arrival_station": "上海虹桥", "train_number": "G1"},
    ),
    (
        "stations glued in one run, train number elsewhere on the line",
        replace_runs(
            SAMPLE_RUNS,
            ("北京南", "上海虹桥", "G1"),
            [(60, 142, "长沙南站广州南站"), (230, 142, "D6291")],
        ),
        {"departure_station": "长沙南", "arrival_station": "广州南", "train_number": "D6291"},
    ),
    (
        "a pure-digit train and a company name containing 站 on a labelled line",
        replace_runs(
            SAMPLE_RUNS,
            ("G1", "购买方名称"),
            [(230, 142, "1461"), (60, 252, "购买方名称:车站服务有限公司")],
        ),
        {"train_number": "1461", "buyer_name": "车站服务有限公司", "departure_station": "北京南"},
    ),
    (
        "ID glued to the name",
        replace_runs(SAMPLE_RUNS, ("1101",), [(60, 212, "1101011990****123X阿依古丽·买买提")]),
        {"passenger_id_masked": "1101011990****123X", "passenger_name": "阿依古丽·买买提"},
    ),
    (
        "HH:MM开 apart from the date, glued into the seat",
        replace_runs(
            SAMPLE_RUNS,
            ("2025年03月15日", "05车"),
            [(60, 177, "2025年03月15日"), (160, 177, "16:21开13车13D号")],
        ),
        {
            "travel_date": dt.date(2025, 3, 15),
            "departure_time": dt.time(16, 21),
            "carriage": "13",
            "seat": "13D",
        },
    ),
    (
        "title drawn at the end, below the footer",
        replace_runs(SAMPLE_RUNS, ("电子发票",), [(200, 320, "电子发票（铁路电子客票）")]),
        {"invoice_number": "25119199999000000001"},
    ),
    (
        "personal title: buyer name runs into an empty USCC label",
        replace_runs(
            SAMPLE_RUNS, ("购买方名称", "统一社会信用代码"), [(60, 252, "张三统一社会信用代码:")]
        ),
        {"buyer_name": "张三", "buyer_tax_id": None},
    ),
    (
        "始发改签 marker on a sale",
        [*SAMPLE_RUNS, (420, 177, "始发改签")],
        {"business_type": "sale", "seat_class": "二等座", "seat": "08A"},
    ),
    (
        "refund fee wording",
        replace_runs(SAMPLE_RUNS, ("票价", "￥"), [(60, 194, "退票费:"), (110, 194, "￥27.50")]),
        {"business_type": "refund", "fare": Decimal("27.50")},
    ),
    (
        "change fee wording, amount without yen sign",
        replace_runs(SAMPLE_RUNS, ("票价", "￥"), [(60, 194, "改签费: 5.00")]),
        {"business_type": "change", "fare": Decimal("5.00")},
    ),
    (
        "sleeper berth keeps its 号",
        replace_runs(
            SAMPLE_RUNS, ("05车", "二等座"), [(250, 177, "05车11号下铺"), (360, 177, "硬卧")]
        ),
        {"carriage": "05", "seat": "11号下铺", "seat_class": "硬卧"},
    ),
    (
        "无座 prints the carriage only",
        replace_runs(SAMPLE_RUNS, ("05车", "二等座"), [(250, 177, "05车"), (360, 177, "无座")]),
        {"carriage": "05", "seat": None, "seat_class": "无座"},
    ),
    (
        "red-letter amount, minus after the yen sign",
        replace_runs(SAMPLE_RUNS, ("￥",), [(100, 194, "￥-553.00")]),
        {"fare": Decimal("-553.00")},
    ),
    (
        "red-letter amount, minus before the yen sign",
        replace_runs(SAMPLE_RUNS, ("￥",), [(100, 194, "-￥553.00")]),
        {"fare": Decimal("-553.00")},
    ),
    (
        "original invoice number is not taken for the invoice number",
        [(380, 60, "原发票号码:25119199999000000009"), *SAMPLE_RUNS],
        {
            "invoice_number": "25119199999000000001",
            "original_invoice_number": "25119199999000000009",
        },
    ),
    (
        "a red-letter face's 数电 remark names the reversed invoice, not this one",
        [
            *replace_runs(
                SAMPLE_RUNS,
                ("发票号码",),
                [(380, 40, "发票号码:"), (380, 60, "25119199999000000001")],
            ),
            (60, 300, "被红冲蓝字数电发票号码:25119199999000000009"),
        ],
        {
            "invoice_number": "25119199999000000001",
            "original_invoice_number": "25119199999000000009",
        },
    ),
    (
        "a fee face printing the original 票价 beside its 退票费 is the fee",
        replace_runs(
            SAMPLE_RUNS,
            ("票价", "￥"),
            [
                (60, 194, "票价:"),
                (100, 194, "￥553.00"),
                (200, 194, "退票费:"),
                (240, 194, "￥17.50"),
            ],
        ),
        {"business_type": "refund", "fare": Decimal("17.50")},
    ),
    (
        "an amount placed before its label belongs to that label",
        replace_runs(SAMPLE_RUNS, ("票价", "￥"), [(60, 194, "￥17.50"), (110, 194, "退票费:")]),
        {"business_type": "refund", "fare": Decimal("17.50")},
    ),
    (
        "the tax split above the fare is not the fare",
        [(60, 180, "金额:￥507.34 税率:9% 税额:￥45.66"), *SAMPLE_RUNS],
        {"business_type": "sale", "fare": Decimal("553.00")},
    ),
    *[
        (
            f"the seat class {name} is read whole",
            replace_runs(SAMPLE_RUNS, ("二等座",), [(360, 177, name)]),
            {"seat_class": name},
        )
        for name in ("优选一等座", "一等包座", "软卧代二等座", "高级动卧")
    ],
    (
        "a Latin name of two words is read whole",
        replace_runs(SAMPLE_RUNS, ("1101011990",), [(60, 212, "1101011990****1234 SMITH JOHN")]),
        {"passenger_name": "SMITH JOHN"},
    ),
    (
        "letter-spaced station names are read whole",
        replace_runs(
            SAMPLE_RUNS,
            ("北京南", "上海虹桥"),
            [(60, 142, "北 京 南  站"), (330, 142, "上 海 虹 桥  站")],
        ),
        {"departure_station": "北京南", "arrival_station": "上海虹桥", "train_number": "G1"},
    ),
    (
        "empty e-ticket label does not borrow the next line",
        replace_runs(
            SAMPLE_RUNS,
            ("电子客票号", "购买方名称"),
            [(60, 230, "电子客票号:"), (60, 252, "123456789012购买方名称:某公司")],
        ),
        {"e_ticket_number": None},
    ),
]


@pytest.mark.parametrize(("layout", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_face_layout_reads_expected_fields(layout: Placed, expected: dict[str, object]) -> None:
    reading = read(layout)
    assert reading.kind == "railway"
    assert {name: getattr(reading.fields, name) for name in expected} == expected


SEAT_CLASSES = "商务座 特等座 一等座 二等座 软卧 硬卧 动卧 一等卧 二等卧 软座 硬座 无座 高级软卧"


@pytest.mark.parametrize("seat_class", SEAT_CLASSES.split())
def test_every_seat_class_is_read_whole(seat_class: str) -> None:
    reading = read(replace_runs(SAMPLE_RUNS, ("二等座",), [(360, 177, seat_class)]))
    assert reading.fields.seat_class == seat_class


def test_railway_fields_without_title_still_read_as_railway() -> None:
    reading = read([p for p in SAMPLE_RUNS if not p[2].startswith("电子发票")])
    assert reading.kind == "railway"


@pytest.mark.parametrize(
    "lines",
    [
        [(100, 50, "电子发票（普通发票）"), (380, 72, "发票号码:25442000000123456789")],
        [(100, 50, "Quarterly report"), (100, 70, "Revenue ¥1,000.00")],
        [],
    ],
)
def test_other_documents_are_not_railway(lines: Placed) -> None:
    assert read(lines).kind is None


@pytest.mark.parametrize(
    "runs",
    [
        [(60, 100, "北" * 40_000)],
        [(60, 100, "¥1" * 20_000)],
        [(60, 100, "票价" * 20_000), (60, 108, "¥1 " * 8)],
    ],
    ids=["characters", "amounts", "labels-above-amounts"],
)
def test_a_long_line_is_read_in_bounded_time(runs: Placed) -> None:
    # Once quadratic: 20,000 characters without 站 took 10 s in the station pattern, a label
    # looked up for every amount of a line of 20,000 took minutes, and 2,000 labels above eight
    # amounts 28 s (each label measured its line again), all with the GIL held.
    started = time.perf_counter()
    reading = read([*runs, *SAMPLE_RUNS])
    assert time.perf_counter() - started < 5.0  # a generous bound: seconds, not minutes
    assert reading.fields.invoice_number == "25119199999000000001"
