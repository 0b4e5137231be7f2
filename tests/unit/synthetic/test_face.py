"""Face wording and layout options show up in the text a PDF extractor reads."""

from __future__ import annotations

import io
import random
import zlib

from pypdf import PdfReader

from railclaim_devkit.synthetic import (
    FaceStyle,
    PdfVariant,
    fee_invoice_for,
    random_spec,
    render_pdf,
)
from railclaim_devkit.synthetic.face_layout import layout_face
from railclaim_devkit.synthetic.pdf import DEFAULT_VARIANT, content_stream
from railclaim_devkit.synthetic.qr import qr_payload
from railclaim_devkit.synthetic.spec import InvoiceSpec, money


def _text(spec: InvoiceSpec, variant: PdfVariant = DEFAULT_VARIANT) -> str:
    return PdfReader(io.BytesIO(render_pdf(spec, variant))).pages[0].extract_text()


def test_fee_invoices_label_their_amount():
    rng = random.Random(1)
    sale = random_spec(rng, business_type="sale", face_marker=None)
    assert "票价:" in _text(sale)
    assert "退票费:" in _text(fee_invoice_for(sale, rng, "refund"))
    assert "改签费:" in _text(fee_invoice_for(sale, rng, "change"))
    plain = PdfVariant(face=FaceStyle(fee_labels=False))
    assert "票价:" in _text(fee_invoice_for(sale, rng, "refund"), plain)


def test_changed_ticket_sale_shows_its_marker():
    spec = random_spec(random.Random(2), business_type="sale", face_marker="始发改签")
    assert "始发改签" in _text(spec)


def test_personal_title_runs_into_the_uscc_label():
    spec = random_spec(random.Random(3), personal_buyer=True)
    text = _text(spec)
    assert f"{spec.buyer_name}统一社会信用代码:" in text
    assert "购买方名称" not in text


def test_red_letter_prints_a_negative_fare():
    spec = random_spec(random.Random(4), red_letter=True)
    assert f"￥{money(spec.fare)}" in _text(spec)
    assert money(spec.fare).startswith("-")


def test_fare_on_its_own_line_and_fullwidth_colons():
    spec = random_spec(random.Random(5), business_type="sale")
    lines = _text(spec, PdfVariant(face=FaceStyle(fare_own_line=True, fullwidth_colons=True)))
    rows = lines.splitlines()
    assert "票价：" in rows
    assert f"￥{money(spec.fare)}" in rows
    assert f"发票号码：{spec.invoice_number}" in lines


def test_scrambled_stations_keep_departure_on_the_left():
    spec = random_spec(random.Random(6))
    [stations] = [
        b for b in layout_face(spec, FaceStyle(order="scrambled")) if b.role == "stations"
    ]
    arrival, departure = stations.pieces
    assert arrival.text == f"{spec.arrival_station}站"
    assert departure.x < arrival.x


def test_shuffled_order_keeps_positions():
    spec = random_spec(random.Random(7))
    reading = layout_face(spec)
    shuffled = layout_face(spec, FaceStyle(order="shuffled"))
    assert sorted(reading, key=repr) == sorted(shuffled, key=repr)
    assert reading != shuffled


def test_ucs2_variant_writes_utf16_codes():
    spec = random_spec(random.Random(8))
    stream = content_stream(spec, PdfVariant(encoding="UniGB-UCS2-H"))
    assert "电子发票".encode("utf-16-be").hex().upper().encode() in stream
    gbk = content_stream(spec)
    assert "电子发票".encode("gbk").hex().upper().encode() in gbk
    pdf = render_pdf(spec)
    assert zlib.compress(gbk, 9) in pdf


def test_qr_code_is_an_image_xobject_drawn_first():
    spec = random_spec(random.Random(9))
    page = PdfReader(io.BytesIO(render_pdf(spec))).pages[0]
    image = page["/Resources"]["/XObject"]["/Im1"].get_object()
    assert image["/Subtype"] == "/Image"
    assert image["/BitsPerComponent"] == 1
    assert content_stream(spec).startswith(b"q ")
    assert b"/Im1 Do" in content_stream(spec)
    bare = PdfReader(io.BytesIO(render_pdf(spec, PdfVariant(qr_code=False)))).pages[0]
    assert "/XObject" not in bare["/Resources"]


def test_qr_payload_names_the_invoice():
    spec = random_spec(random.Random(10))
    fields = qr_payload(spec).split(",")
    assert fields[:4] == ["01", "51", "", spec.invoice_number]
    assert fields[4] == money(spec.fare)
    assert fields[5] == f"{spec.issue_date:%Y%m%d}"
