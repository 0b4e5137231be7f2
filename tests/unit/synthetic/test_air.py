"""The air e-itinerary generator: DOMAIN §5's face and amounts, its XBRL shapes, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.invoices.parsing.model import FlightSegment, ParsedInvoice
from railclaim_devkit.synthetic import (
    AIR_TAX_RATE,
    AirInvoiceSpec,
    AirXbrlOptions,
    FaceStyle,
    PdfVariant,
    air_fee_itinerary_for,
    air_red_letter_of,
    domain_sample_air_spec,
    is_valid_uscc,
    layout_air_face,
    random_air_spec,
    render_air_pdf,
    render_air_xbrl,
)
from railclaim_devkit.synthetic.air_face import amount_texts
from railclaim_devkit.synthetic.face_blocks import TextBlock

AEI = "{http://xbrl.mof.gov.cn/taxonomy/2024-11-30/aei}"
SAMPLE_AMOUNTS = "CNY 330.28 CNY 64.22 9% CNY 35.50 CNY 50.00 CNY 0.00 CNY 480.00"
FACE_LABELS_IN_ORDER = (
    "电子发票（航空运输电子客票行程单）",
    "发票号码:",
    "开票日期:",
    "国内国际标识:国内",
    "开票状态:正常",
    "旅客姓名:",
    "有效身份证件号码:",
    "承运人 航班号 座位等级 日期 时间",
    "自:",
    "至:",
    "票价 燃油附加费 增值税税率 增值税税额 民航发展基金 其他税费 合计",
    "电子客票号码:",
    "填开日期:",
    "购买方名称:",
    "统一社会信用代码:",
)


def _text(spec: AirInvoiceSpec, variant: PdfVariant | None = None) -> str:
    pdf = render_air_pdf(spec, variant or PdfVariant())
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _specs(n: int = 300, seed: int = 11) -> list[AirInvoiceSpec]:
    rng = random.Random(seed)
    return [random_air_spec(rng, red_letter=i % 9 == 0) for i in range(n)]


def _facts(xml: bytes, ns: str = AEI) -> dict[str, str]:
    root = ET.fromstring(xml)
    return {el.tag.removeprefix(ns): el.text or "" for el in root if el.tag.startswith(ns)}


def _lines(blocks: list[TextBlock]) -> dict[float, str]:
    """The face read by position: per baseline, the pieces left to right, without spaces."""
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for block in blocks:
        for piece in block.pieces:
            rows[piece.y].append((piece.x, piece.text))
    return {y: "".join(t for _, t in sorted(row)).replace(" ", "") for y, row in rows.items()}


def test_domain_sample_prints_domain_amounts_row():
    spec = domain_sample_air_spec()
    text = _text(spec)
    assert SAMPLE_AMOUNTS in text
    assert "自:北京首都 中国国际航空 CA1831 Y 2025年03月15日 08:30" in text
    assert "至:上海虹桥" in text
    assert "电子客票号码:9991234567890" in text
    assert spec.total_amount == Decimal("480.00")
    assert spec.total_amount - spec.tax_amount == Decimal("444.50")
    assert spec.amount_excluding_tax == Decimal("394.50")


def test_face_labels_come_in_domain_order():
    text = _text(random_air_spec(random.Random(2), business_type="sale", segment_count=2))
    at = 0
    for label in FACE_LABELS_IN_ORDER:
        found = text.find(label, at)
        assert found >= 0, (label, text)
        at = found + len(label)


def test_amounts_add_up_and_tax_stays_within_a_cent():
    for spec in _specs():
        parts = (
            spec.fare,
            spec.fuel_surcharge,
            spec.tax_amount,
            spec.civil_aviation_fund,
            spec.other_taxes,
        )
        assert sum(parts) == spec.total_amount, spec
        assert abs(spec.tax_amount - spec.amount_excluding_tax * spec.tax_rate) <= Decimal("0.01")
        assert spec.tax_rate == (AIR_TAX_RATE if spec.business_type == "sale" else Decimal("0.06"))


def test_identifiers_have_their_structure():
    for spec in _specs(200):
        assert re.fullmatch(r"\d{13}", spec.e_ticket_number)
        assert re.fullmatch(r"\d{20}", spec.invoice_number)
        assert spec.invoice_number[:2] == f"{spec.issue_date.year % 100:02d}"
        assert spec.buyer_tax_id is not None
        assert is_valid_uscc(spec.buyer_tax_id)
        assert re.fullmatch(r"\d{10}\*{4}\d{3}[\dX]", spec.passenger_id_masked)


def test_segments_run_in_time_order_and_sales_follow_the_last_flight():
    counts = set()
    for spec in _specs(400):
        counts.add(len(spec.segments))
        starts = [dt.datetime.combine(s.travel_date, s.departure_time) for s in spec.segments]
        assert starts == sorted(starts)
        assert all(s.departure_airport != s.arrival_airport for s in spec.segments)
        if spec.business_type == "sale":
            assert spec.issue_date >= spec.segments[-1].travel_date
        assert spec.printed_fill_date <= spec.segments[0].travel_date
    assert counts == {1, 2, 3, 4}


def test_every_segment_prints_its_row_pair():
    spec = random_air_spec(random.Random(4), segment_count=4)
    text = _text(spec)
    for segment in spec.segments:
        row = f"自:{segment.departure_airport} {segment.carrier} {segment.flight_number} "
        assert row + segment.cabin in text
        assert f"至:{segment.arrival_airport}" in text
    fund = Decimal(50 * 4)
    assert spec.civil_aviation_fund == fund
    assert f"CNY {fund:.2f}" in text


def test_red_letter_negates_every_amount_and_names_the_original():
    rng = random.Random(5)
    blue = random_air_spec(rng, business_type="sale")
    red = air_red_letter_of(blue, rng)
    assert red.is_red_letter
    assert not blue.is_red_letter
    assert red.original_invoice_number == blue.invoice_number
    assert red.invoice_number != blue.invoice_number
    assert red.total_amount == -blue.total_amount
    assert red.tax_amount == -blue.tax_amount
    assert f"CNY -{blue.total_amount:.2f}" in _text(red)
    drawn = random_air_spec(rng, red_letter=True, business_type="sale")
    assert drawn.total_amount < 0
    assert drawn.original_invoice_number is not None


@pytest.mark.parametrize(("kind", "label"), [("refund", "退票费"), ("change", "改签费")])
def test_fee_itineraries_carry_one_fee_at_the_fee_rate(kind, label):
    rng = random.Random(6)
    sale = random_air_spec(rng, business_type="sale")
    fee = air_fee_itinerary_for(sale, rng, kind)
    assert fee.business_type == kind
    assert fee.original_invoice_number == sale.invoice_number
    assert fee.segments == sale.segments
    assert fee.fuel_surcharge == fee.civil_aviation_fund == fee.other_taxes == 0
    assert fee.total_amount == fee.fare + fee.tax_amount
    assert fee.tax_rate == Decimal("0.06")
    text = _text(fee)
    assert f"{label} 燃油附加费" in text
    assert "6%" in text
    assert f"{label} 燃油附加费" not in _text(fee, PdfVariant(face=FaceStyle(fee_labels=False)))


def test_xbrl_is_well_formed_and_carries_the_facts():
    spec = random_air_spec(random.Random(7), segment_count=2)
    xml = render_air_xbrl(spec)
    facts = _facts(xml)
    assert facts["InvoiceNumber"] == spec.invoice_number
    assert facts["DateOfIssue"] == spec.issue_date.isoformat()
    assert facts["Fare"] == f"{spec.fare:.2f}"
    assert facts["FuelSurcharge"] == f"{spec.fuel_surcharge:.2f}"
    assert facts["VatRate"] == "0.09"
    assert facts["VatTaxAmount"] == f"{spec.tax_amount:.2f}"
    assert facts["CivilAviationDevelopmentFund"] == f"{spec.civil_aviation_fund:.2f}"
    assert facts["OtherTaxes"] == f"{spec.other_taxes:.2f}"
    assert facts["TotalAmount"] == f"{spec.total_amount:.2f}"
    assert facts["ElectronicTicketNum"] == spec.e_ticket_number
    assert facts["NameOfPurchaser"] == spec.buyer_name
    assert facts["UnifiedSocialCreditCodeOfPurchaser"] == spec.buyer_tax_id
    assert facts["Name"] == spec.passenger_name
    assert facts["IdNumber"] == spec.passenger_id_masked
    flights = ET.fromstring(xml).findall(f"{AEI}FlightInformation")
    assert len(flights) == 2
    for flight, segment in zip(flights, spec.segments, strict=True):
        values = {el.tag.removeprefix(AEI): el.text for el in flight}
        assert values["Carrier"] == segment.carrier
        assert values["FlightNumber"] == segment.flight_number
        assert values["SeatClass"] == segment.cabin
        assert values["TravelDate"] == segment.travel_date.isoformat()
        assert values["DepartureTime"] == f"{segment.departure_time:%H:%M}"
        assert values["DepartureAirport"] == segment.departure_airport
        assert values["ArrivalAirport"] == segment.arrival_airport


def test_xbrl_naming_variants():
    spec = domain_sample_air_spec()
    options = AirXbrlOptions(naming="prefixed", taxonomy_date="2025-06-30", prefix="ns1")
    xml = render_air_xbrl(spec, options)
    assert b"xmlns:ns1=" in xml
    facts = _facts(xml, "{http://xbrl.mof.gov.cn/taxonomy/2025-06-30/aei}")
    assert facts["ElectronicInvoiceAirFare"] == "330.28"
    assert facts["ElectronicInvoiceAirTotalAmount"] == "480.00"
    assert "Fare" not in facts
    plain = _facts(render_air_xbrl(spec))
    extra = _facts(render_air_xbrl(spec, AirXbrlOptions(extra_elements=True)))
    assert set(plain) < set(extra)
    assert {k: v for k, v in extra.items() if k in plain} == plain
    lean = AirXbrlOptions(empty_elements=False, e_ticket_element=False)
    bare = _facts(render_air_xbrl(spec, lean))
    assert "NumberOfOriginalInvoice" not in bare
    assert "ElectronicTicketNum" not in bare


def test_pdf_embeds_the_xbrl_unless_face_only():
    spec = domain_sample_air_spec()
    reader = PdfReader(io.BytesIO(render_air_pdf(spec)))
    attachments = reader.attachments
    assert list(attachments) == [f"aei_issuer_{spec.invoice_number}.xml"]
    assert attachments[f"aei_issuer_{spec.invoice_number}.xml"] == [render_air_xbrl(spec)]
    face_only = PdfReader(io.BytesIO(render_air_pdf(spec, PdfVariant(with_xbrl=False))))
    assert face_only.attachments == {}
    assert SAMPLE_AMOUNTS in face_only.pages[0].extract_text()


def test_tampered_face_keeps_the_xbrl_of_the_spec():
    spec = domain_sample_air_spec()
    forged = dataclasses.replace(spec, total_amount=Decimal("980.00"))
    reader = PdfReader(io.BytesIO(render_air_pdf(spec, face=forged)))
    assert "CNY 980.00" in reader.pages[0].extract_text()
    xml = next(iter(reader.attachments.values()))[0]
    assert _facts(xml)["TotalAmount"] == "480.00"


def test_same_seed_same_bytes():
    def files(seed: int) -> list[bytes]:
        rng = random.Random(seed)
        return [render_air_pdf(random_air_spec(rng)) for _ in range(5)]

    assert files(1) == files(1)
    assert files(1) != files(2)


@pytest.mark.parametrize(
    "style",
    [
        FaceStyle(order="scrambled"),
        FaceStyle(order="shuffled"),
        FaceStyle(amount_before_label=True, id_after_amount=True),
        FaceStyle(order="scrambled", amount_before_label=True, id_after_amount=True),
    ],
)
def test_drawing_orders_keep_every_position(style):
    spec = random_air_spec(random.Random(8), segment_count=3)
    reading = layout_air_face(spec)
    drawn = layout_air_face(spec, style)
    assert _lines(drawn) == _lines(reading)
    assert [b.text for b in drawn] != [b.text for b in reading]


def test_scrambled_order_draws_amounts_before_labels_and_title_last():
    spec = domain_sample_air_spec()
    blocks = layout_air_face(spec, FaceStyle(order="scrambled"))
    texts = [b.text for b in blocks]
    assert texts[-1] == "电子发票（航空运输电子客票行程单）"
    assert texts.index("CNY330.28") < texts.index("票价")
    assert texts.index("上海虹桥至:") < texts.index("北京首都自:")


def test_quirks_that_apply_to_air_faces():
    spec = domain_sample_air_spec()
    interleaved = _text(spec, PdfVariant(face=FaceStyle(seal_interleaved=True)))
    assert "电子发票（航空运输电子客票行程单）" not in interleaved.replace("\n", "")
    wide = _text(spec, PdfVariant(face=FaceStyle(fullwidth_text=True, fullwidth_colons=True)))
    assert "ＣＮＹ ３３０.２８".replace(".", "．") in wide
    spaced = _text(spec, PdfVariant(face=FaceStyle(label_spacing="spaced")))
    assert "发票号码:  25111000000012345678" in spaced
    assert amount_texts(spec)[2] == "9%"


def test_international_itineraries_are_zero_rated_and_pay_foreign_taxes():
    spec = random_air_spec(random.Random(9), domestic=False, segment_count=2)
    assert spec.tax_rate == spec.tax_amount == 0
    assert spec.civil_aviation_fund == Decimal("90.00")
    assert spec.other_taxes > 0
    assert spec.segments[0].arrival_airport == spec.segments[1].departure_airport
    text = _text(spec)
    assert "国内国际标识:国际" in text
    assert " 0% CNY 0.00 CNY 90.00 " in text
    assert _facts(render_air_xbrl(spec))["DomesticOrInternational"] == "国际"
    assert all(random_air_spec(random.Random(seed)).domestic for seed in range(50))


@pytest.mark.parametrize("naming", ["vendor", "prefixed"])
@pytest.mark.parametrize("extra", [False, True])
@pytest.mark.parametrize("empty", [False, True])
def test_every_xbrl_shape_is_well_formed_and_keeps_the_amounts(naming, extra, empty):
    spec = random_air_spec(random.Random(10), segment_count=3, red_letter=True)
    options = AirXbrlOptions(naming=naming, extra_elements=extra, empty_elements=empty)
    root = ET.fromstring(render_air_xbrl(spec, options))
    assert root.tag == "{http://www.xbrl.org/2003/instance}xbrl"
    prefix = "ElectronicInvoiceAir" if naming == "prefixed" else ""
    facts = _facts(render_air_xbrl(spec, options))
    assert facts[prefix + "TotalAmount"] == f"{spec.total_amount:.2f}"
    assert facts[prefix + "VatTaxAmount"] == f"{spec.tax_amount:.2f}"
    assert facts[prefix + "NumberOfOriginalInvoice"] == spec.original_invoice_number
    assert len(root.findall(f"{AEI}{prefix}FlightInformation")) == 3
    assert ("VerificationCode" in "".join(facts)) == extra


def test_spec_fields_match_the_parsers_record():
    """The generator mirrors `ParsedInvoice`/`FlightSegment`: a renamed field fails here first."""
    spec = random_air_spec(random.Random(12), segment_count=2)
    record_fields = {f.name for f in dataclasses.fields(ParsedInvoice)}
    assert set(spec.parsed_fields()) <= record_fields
    assert record_fields - set(spec.parsed_fields()) == {"source", "renditions", "findings", "xbrl"}
    segment_fields = [f.name for f in dataclasses.fields(FlightSegment)]
    assert [f.name for f in dataclasses.fields(spec.segments[0])] == segment_fields
    parsed = tuple(FlightSegment(**dataclasses.asdict(s)) for s in spec.segments)
    assert spec.parsed_fields()["segments"] == parsed
    assert parsed == spec.segments
    assert parsed != tuple(dataclasses.replace(s, cabin="F") for s in spec.segments)


def test_extra_columns_follow_the_time():
    spec = random_air_spec(random.Random(13), segment_count=2)
    pdf = render_air_pdf(spec, extra_columns=True)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "承运人 航班号 座位等级 日期 时间 客票级别 免费行李" in text
    for segment in spec.segments:
        assert f"{segment.departure_time:%H:%M} {segment.cabin}OW 20K" in text
    assert "客票级别" not in _text(spec)
    reading = layout_air_face(spec, extra_columns=True)
    scrambled = layout_air_face(spec, FaceStyle(order="scrambled"), extra_columns=True)
    assert _lines(scrambled) == _lines(reading)


def test_red_letter_negates_drawn_amounts_and_keeps_pinned_ones():
    pinned = random_air_spec(
        random.Random(14),
        red_letter=True,
        fare=Decimal("-100.00"),
        fuel_surcharge=Decimal("-10.00"),
    )
    assert (pinned.fare, pinned.fuel_surcharge) == (Decimal("-100.00"), Decimal("-10.00"))
    assert pinned.tax_amount == Decimal("-9.90")
    parts = (pinned.fare, pinned.fuel_surcharge, pinned.tax_amount, pinned.civil_aviation_fund)
    assert sum(parts) + pinned.other_taxes == pinned.total_amount
    blue, red = (
        random_air_spec(random.Random(15)),
        random_air_spec(random.Random(15), red_letter=True),
    )
    assert red.total_amount == -blue.total_amount
    assert red.tax_amount == -blue.tax_amount


def test_cabin_letters_fall_in_one_class_of_the_products_default_table():
    default_table = {"first": set("FAP"), "business": set("JCDIZR")}
    default_table["economy"] = set("WYBMHKLNQTVXEGSUO")
    seen = set()
    for spec in _specs(300):
        for segment in spec.segments:
            classes = [name for name, letters in default_table.items() if segment.cabin in letters]
            assert len(classes) == 1, segment.cabin
            seen.add(classes[0])
    assert seen == {"economy", "business", "first"}
