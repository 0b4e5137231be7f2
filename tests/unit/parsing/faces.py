"""Helpers that lay out face text as placed runs, the way the PDF and OFD readers hand it over."""

from __future__ import annotations

from app.invoices.parsing.kind_rules import FaceReading
from app.invoices.parsing.kinds import read_face_fields
from app.invoices.parsing.layout import TextRun, advance_em, group_lines, normalize

SIZE = 10.0

# The reference sample's layout in reading order (PDF points, y already flipped to grow down).
SAMPLE_RUNS: list[tuple[float, float, str]] = [
    (200, 52, "电子发票（铁路电子客票）"),
    (40, 72, "国家税务总局"),
    (40, 84, "北京市税务局"),
    (380, 72, "发票号码:25119199999000000001"),
    (380, 87, "开票日期:2025年03月20日"),
    (60, 142, "北京南  站"),
    (230, 142, "G1"),
    (330, 142, "上海虹桥  站"),
    (60, 157, "Beijingnan"),
    (330, 157, "Shanghaihongqiao"),
    (60, 177, "2025年03月15日 09:00开"),
    (250, 177, "05车08A号"),
    (360, 177, "二等座"),
    (60, 194, "票价:"),
    (100, 194, "￥553.00"),
    (60, 212, "1101011990****1234 张三"),
    (60, 230, "电子客票号:9999964086031590000012025"),
    (60, 252, "购买方名称:示例科技有限公司"),
    (300, 252, "统一社会信用代码:91110108MA00000070"),
    (150, 282, "买票请到12306 发货请到95306"),
    (170, 296, "中国铁路祝您旅途愉快"),
]


def run(x: float, y: float, text: str, size: float = SIZE) -> TextRun:
    text = normalize(text)
    return TextRun(x=x, y=y, text=text, size=size, end_x=x + advance_em(text) * size)


def read(placed: list[tuple[float, float, str]]) -> FaceReading:
    return read_face_fields(group_lines([run(x, y, text) for x, y, text in placed]))


def replace_runs(
    placed: list[tuple[float, float, str]],
    drop: tuple[str, ...],
    add: list[tuple[float, float, str]],
) -> list[tuple[float, float, str]]:
    """The layout with the runs starting with any of `drop` removed and `add` appended."""
    kept = [p for p in placed if not p[2].startswith(drop)]
    return kept + add
