"""Generated PDFs carry the 12306 font quirk, the embedded XBRL, and text pypdf can extract."""

from __future__ import annotations

import dataclasses
import io
import random
import zlib

import pytest
from pypdf import PdfReader

from railclaim_devkit.synthetic import FaceStyle, PdfVariant, random_spec, render_pdf, render_xbrl
from railclaim_devkit.synthetic.face_layout import date_text, seat_text
from railclaim_devkit.synthetic.spec import InvoiceSpec, money

VARIANTS = {
    "default": PdfVariant(),
    "ucs2": PdfVariant(encoding="UniGB-UCS2-H"),
    "cidtype0-tm": PdfVariant(cid_font_subtype="CIDFontType0", positioning="Tm"),
    "scrambled": PdfVariant(face=FaceStyle(order="scrambled")),
    "shuffled": PdfVariant(face=FaceStyle(order="shuffled")),
    "fullwidth-own-line": PdfVariant(face=FaceStyle(fullwidth_colons=True, fare_own_line=True)),
    "separate-glyph": PdfVariant(face=FaceStyle(station_glyph="separate")),
    "no-xbrl": PdfVariant(with_xbrl=False),
}


def _spec(seed: int = 11, **kw: object) -> InvoiceSpec:
    return random_spec(random.Random(seed), **kw)  # type: ignore[arg-type]


def _text(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_same_spec_same_bytes():
    spec = _spec()
    assert render_pdf(spec) == render_pdf(_spec())
    assert render_pdf(spec) != render_pdf(_spec(12))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_font_is_the_unembedded_simsun_without_tounicode(name: str):
    variant = VARIANTS[name]
    reader = PdfReader(io.BytesIO(render_pdf(_spec(), variant)))
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    assert font["/Subtype"] == "/Type0"
    assert font["/BaseFont"] == "/SimSun"
    assert font["/Encoding"] == f"/{variant.encoding}"
    assert "/ToUnicode" not in font
    cid = font["/DescendantFonts"][0].get_object()
    assert cid["/Subtype"] == f"/{variant.cid_font_subtype}"
    assert cid["/CIDSystemInfo"]["/Ordering"] == "GB1"
    descriptor = cid["/FontDescriptor"].get_object()
    assert not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("seed", range(6))
def test_pypdf_extracts_every_printed_value(name: str, seed: int):
    spec = _spec(seed)
    text = _text(render_pdf(spec, VARIANTS[name]))
    expected = [
        "电子发票（铁路电子客票）",
        spec.invoice_number,
        date_text(spec.issue_date),
        spec.departure_station,
        spec.arrival_station,
        spec.departure_pinyin,
        spec.arrival_pinyin,
        spec.train_number,
        date_text(spec.travel_date),
        f"{spec.departure_time:%H:%M}开",
        seat_text(spec),
        spec.seat_class,
        money(spec.fare),
        spec.passenger_id_masked,
        spec.passenger_name,
        spec.e_ticket_number or "",
        spec.buyer_name,
        spec.buyer_tax_id or "",
    ]
    missing = [value for value in expected if value not in text]
    assert missing == [], text


def test_reading_order_resembles_the_sample_layout():
    spec = _spec(business_type="sale", personal_buyer=False)
    lines = _text(render_pdf(spec)).splitlines()
    assert f"票价: ￥{money(spec.fare)}" in lines
    assert f"{spec.passenger_id_masked} {spec.passenger_name}" in lines
    assert f"电子客票号:{spec.e_ticket_number}" in lines
    assert lines[-1] == "中国铁路祝您旅途愉快"


def test_scrambled_order_draws_arrival_first_and_title_last():
    spec = _spec()
    text = _text(render_pdf(spec, VARIANTS["scrambled"]))
    assert text.startswith(f"{spec.arrival_station}站{spec.departure_station}站")
    assert text.rstrip().endswith("电子发票（铁路电子客票）")
    assert f"{spec.passenger_id_masked}{spec.passenger_name}" in text


def test_embedded_xbrl_is_the_rendered_instance():
    spec = _spec()
    reader = PdfReader(io.BytesIO(render_pdf(spec)))
    name = f"rai_issuer_{spec.invoice_number}.xml"
    assert reader.attachments[name] == [render_xbrl(spec)]
    assert dict(PdfReader(io.BytesIO(render_pdf(spec, VARIANTS["no-xbrl"]))).attachments) == {}


def test_content_stream_is_flate_compressed():
    data = render_pdf(_spec())
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[0]["/Contents"].get_object()
    assert contents["/Filter"] == "/FlateDecode"
    assert zlib.decompress(contents._data).startswith(b"q ")


def test_tampered_face_keeps_the_original_xbrl():
    spec = _spec(business_type="sale")
    forged = dataclasses.replace(spec, passenger_name="李四", fare=spec.fare + 1)
    data = render_pdf(spec, face=forged)
    text = _text(data)
    assert f"￥{money(forged.fare)}" in text
    assert "李四" in text
    [xml] = PdfReader(io.BytesIO(data)).attachments[f"rai_issuer_{spec.invoice_number}.xml"]
    assert xml == render_xbrl(spec)
