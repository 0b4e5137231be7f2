"""The content-stream reader: tokens, text positioning and CMap decoding, without pypdf."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.layout import group_lines
from app.invoices.parsing.model import ParseLimits
from app.invoices.parsing.pdf_doc import extract_runs_with_pypdf
from app.invoices.parsing.pdf_face import read_face
from app.invoices.parsing.pdf_fonts import CODECS, FontCodec
from app.invoices.parsing.pdf_tokens import iter_operations
from railclaim_devkit.synthetic.vat import render_plain_pdf

GBK = {"F1": CODECS["GBK-EUC-H"], "F2": CODECS["UniGB-UCS2-H"], "F9": None}


def gbk_hex(text: str) -> bytes:
    return b"<" + text.encode("gbk").hex().encode() + b">"


def texts(content: bytes, fonts: dict[str, FontCodec | None] = GBK) -> list[str]:
    return [line.text for line in group_lines(read_face(content, fonts, Deadline(5)).runs)]


def test_operations_carry_their_operands() -> None:
    ops = list(iter_operations(b"BT /F1 10 Tf 1 0 0 1 20.5 -3 Tm [(a) -250 <4142>] TJ ET"))
    assert ops == [
        ("BT", []),
        ("Tf", ["/F1", 10.0]),
        ("Tm", [1.0, 0.0, 0.0, 1.0, 20.5, -3.0]),
        ("TJ", [[b"a", -250.0, b"AB"]]),
        ("ET", []),
    ]


def test_literal_strings_honour_escapes_and_nested_parens() -> None:
    [(_, operands)] = list(
        iter_operations(
            rb"(a\(b\) (c) \101\n\\ \
d) Tj"
        )
    )
    assert operands == [b"a(b) (c) A\n\\ d"]


def test_inline_image_data_is_skipped() -> None:
    stream = b"BI /W 1 /H 1 ID \x00(\xff]>> EI BT /F1 9 Tf (x) Tj ET"
    assert [op for op, _ in iter_operations(stream)] == ["BI", "ID", "BT", "Tf", "Tj", "ET"]


def test_gbk_text_lands_where_td_moves_it_and_lines_read_left_to_right() -> None:
    content = b"".join(
        [
            b"BT /F1 10 Tf 330 700 Td " + gbk_hex("上海虹桥  站") + b" Tj ET\n",
            b"BT /F1 10 Tf 60 700 Td " + gbk_hex("北京南  站") + b" Tj ET\n",
            b"BT /F1 10 Tf 60 685 Td (Beijingnan) Tj 0 -20 Td (next) Tj ET",
        ]
    )
    assert texts(content) == ["北京南  站 上海虹桥  站", "Beijingnan", "next"]


def test_ucs2_font_decodes_utf16_and_cm_scales_positions() -> None:
    ucs2 = "<" + "票价：￥553.00".encode("utf-16-be").hex() + ">"
    content = b"q 2 0 0 2 0 0 cm BT /F2 5 Tf 30 300 Td " + ucs2.encode() + b" Tj ET Q"
    [run] = read_face(content, GBK, Deadline(5)).runs
    assert (run.text, run.x, run.y, run.size) == ("票价:¥553.00", 60.0, -600.0, 10.0)


def test_tj_kerning_keeps_a_word_whole_but_a_wide_gap_splits_it() -> None:
    content = b"BT /F1 10 Tf 0 0 Td [(20) -20 (25) -3000 (G1)] TJ ET"
    runs = read_face(content, GBK, Deadline(5)).runs
    assert [r.text for r in runs] == ["2025", "G1"]
    assert runs[1].x == pytest.approx(20.0 + 0.2 + 30.0)
    assert texts(content) == ["2025 G1"]


def test_next_line_operators_follow_the_leading() -> None:
    content = b"BT /F1 10 Tf 12 TL 50 500 Td (a) Tj T* (b) Tj (c) ' 1 2 (d) \" ET"
    runs = read_face(content, GBK, Deadline(5)).runs
    assert [(r.text, r.y) for r in runs] == [("a", -500), ("b", -488), ("c", -476), ("d", -464)]


def test_glyphs_drawn_one_by_one_join_into_one_word() -> None:
    content = (
        b"BT /F1 10 Tf "
        + b" ".join(
            f"{100 + 5 * i} 100 Td ({d}) Tj 0 0 Td".encode()
            if i == 0
            else f"5 0 Td ({d}) Tj".encode()
            for i, d in enumerate("2025")
        )
        + b" ET"
    )
    assert texts(content) == ["2025"]


def test_unknown_font_is_reported_for_the_pypdf_fallback() -> None:
    reading = read_face(b"BT /F9 10 Tf 0 0 Td (hello) Tj ET", GBK, Deadline(5))
    assert reading.runs == []
    assert reading.undecodable_text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_break_the_reader(data: bytes) -> None:
    read_face(data, GBK, Deadline(5))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"BT",
                b"ET",
                b"/F1",
                b"/F2",
                b"/F9",
                b"10",
                b"-3.5",
                b"Tf",
                b"Td",
                b"TD",
                b"Tm",
                b"T*",
                b"Tj",
                b"TJ",
                b"'",
                b'"',
                b"cm",
                b"q",
                b"Q",
                b"[",
                b"]",
                b"<<",
                b">>",
                b"(x",
                b")",
                b"<B1B1>",
                b"<",
                b"\\",
                b"%c\n",
                b"Tz",
                b"TL",
                b"Tc",
                b"Tw",
                b"ID",
            ]
        ),
        max_size=60,
    )
)
def test_arbitrary_operator_soup_never_breaks_the_reader(tokens: list[bytes]) -> None:
    read_face(b" ".join(tokens), GBK, Deadline(5))


def test_fonts_outside_the_chinese_cmaps_fall_back_to_pypdf_with_positions() -> None:
    [run] = extract_runs_with_pypdf(render_plain_pdf("Hello 12306"), ParseLimits())
    assert (run.text, run.x, run.y) == ("Hello 12306", 72.0, -720.0)
