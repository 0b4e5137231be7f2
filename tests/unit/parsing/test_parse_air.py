"""Air e-itineraries: any generated itinerary, in any variant, parses back to its own values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from _pytest.mark import ParameterSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.invoices.parsing import ParsedInvoice, parse_file
from app.invoices.parsing.air_fields import check_air_amounts
from app.invoices.parsing.fields import InvoiceFields
from railclaim_devkit.synthetic import (
    AIR_REAL_VARIANT_NAMES,
    AIR_VARIANTS,
    AIR_XBRL_ONLY_VARIANTS,
    AirInvoiceSpec,
    AirXbrlOptions,
    FaceStyle,
    PdfVariant,
    air_fee_itinerary_for,
    air_red_letter_of,
    domain_sample_air_spec,
    generate_air_corpus,
    generate_mixed_zips,
    random_air_spec,
    render_air_ofd,
    render_air_pdf,
    render_air_real,
)
from railclaim_devkit.synthetic.real_variants import Rendition
from tests.fixtures.air_strategies import air_invoice_specs, air_xbrl_options
from tests.fixtures.strategies import face_styles, pdf_variants
from tests.unit.parsing.faces import SAMPLE_RUNS, read

ROUND_TRIP = settings(max_examples=40, deadline=None)
# The variant grid's breadth is in its parameters; a few examples each keep the suite fast.
GRID = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def air_spec_of(rng: random.Random, kind: str, *, segments: int | None = None) -> AirInvoiceSpec:
    """A sale, its refund or change fee, or its red-letter reversal, as the builders make them;
    now and then an international trip (国际, zero-rated, foreign taxes as 其他税费)."""
    personal, domestic = rng.random() < 0.3, rng.random() >= 0.15
    sale = random_air_spec(
        rng,
        business_type="sale",
        personal_buyer=personal,
        segment_count=segments,
        domestic=domestic,
    )
    if kind == "red-letter":
        return air_red_letter_of(sale, rng)
    if kind in ("refund", "change"):
        return air_fee_itinerary_for(sale, rng, kind)
    return sale


def _expected(spec: AirInvoiceSpec, *, from_xbrl: bool) -> dict[str, object]:
    """All fields from the XBRL; from the face what it prints and the type its amount's label
    names (a red-letter itinerary prints no original number)."""
    if from_xbrl:
        expected = spec.parsed_fields()
    else:
        expected = {**spec.face_fields(), "business_type": spec.business_type}
    expected["segments"] = spec.segment_dicts()
    return expected


def _values(invoice: ParsedInvoice, names: list[str]) -> dict[str, object]:
    values = {name: getattr(invoice, name) for name in names}
    if "segments" in values:
        values["segments"] = [dataclasses.asdict(s) for s in invoice.segments]
    return values


def assert_air_round_trip(invoice: ParsedInvoice, spec: AirInvoiceSpec, *, from_xbrl: bool) -> None:
    expected = _expected(spec, from_xbrl=from_xbrl)
    assert _values(invoice, list(expected)) == expected
    assert invoice.source == ("xbrl" if from_xbrl else "text")
    assert [f.code for f in invoice.findings] == (["red-letter"] if spec.is_red_letter else [])


@ROUND_TRIP
@given(
    spec=air_invoice_specs(allow_personal_buyer=True),
    variant=pdf_variants(),
    xbrl=air_xbrl_options(),
)
def test_air_pdf_round_trip(
    spec: AirInvoiceSpec, variant: PdfVariant, xbrl: AirXbrlOptions
) -> None:
    """Fonts, encodings, positioning, attachment names and places, drawing orders and quirks,
    with the XBRL in any of its guessed shapes or the face only."""
    [invoice] = parse_file(render_air_pdf(spec, variant, xbrl=xbrl), f"{spec.invoice_number}.pdf")
    from_xbrl = variant.with_xbrl
    expected = _expected(spec, from_xbrl=from_xbrl)
    if from_xbrl and not xbrl.e_ticket_element:
        assert invoice.e_ticket_number == spec.e_ticket_number  # the face fills it in
    assert _values(invoice, list(expected)) == expected
    assert invoice.kind == "air"
    assert [r.kind for r in invoice.renditions] == ["pdf"]
    assert [f.code for f in invoice.findings] == (["red-letter"] if spec.is_red_letter else [])


@ROUND_TRIP
@given(spec=air_invoice_specs(allow_personal_buyer=True), style=face_styles())
def test_air_face_alone_reads_every_printed_field(spec: AirInvoiceSpec, style: FaceStyle) -> None:
    data = render_air_pdf(spec, PdfVariant(face=style, with_xbrl=False))
    [invoice] = parse_file(data)
    assert_air_round_trip(invoice, spec, from_xbrl=False)


@settings(max_examples=20, deadline=None)
@given(rng=st.randoms(use_true_random=False), count=st.integers(1, 4), with_xbrl=st.booleans())
def test_every_flight_of_a_multi_segment_itinerary_is_read(
    rng: random.Random, count: int, with_xbrl: bool
) -> None:
    spec = random_air_spec(rng, segment_count=count)
    style = FaceStyle(order=rng.choice(("reading", "scrambled", "shuffled")))
    [invoice] = parse_file(render_air_pdf(spec, PdfVariant(face=style, with_xbrl=with_xbrl)))
    assert len(invoice.segments) == count
    assert [dataclasses.asdict(s) for s in invoice.segments] == spec.segment_dicts()
    first = spec.segments[0]
    assert (invoice.travel_date, invoice.departure_station, invoice.arrival_station) == (
        first.travel_date,
        first.departure_airport,
        first.arrival_airport,
    )


@settings(max_examples=20, deadline=None)
@given(rng=st.randoms(use_true_random=False), with_xbrl=st.booleans())
def test_a_red_letter_itinerary_reads_negative_and_names_its_original(
    rng: random.Random, with_xbrl: bool
) -> None:
    spec = air_spec_of(rng, "red-letter")
    [invoice] = parse_file(render_air_pdf(spec, PdfVariant(with_xbrl=with_xbrl)))
    assert invoice.is_red_letter
    assert invoice.total_amount == spec.total_amount < 0
    assert invoice.tax_amount == spec.tax_amount <= 0  # an international trip is zero-rated
    [finding] = invoice.findings
    assert finding.code == "red-letter"
    # The original's number is an XBRL fact; the face does not print it.
    expected_original = spec.original_invoice_number if with_xbrl else None
    assert invoice.original_invoice_number == expected_original


@settings(max_examples=20, deadline=None)
@given(
    rng=st.randoms(use_true_random=False),
    kind=st.sampled_from(("refund", "change")),
    with_xbrl=st.booleans(),
)
def test_refund_and_change_fee_itineraries_read_their_kind_and_fee(
    rng: random.Random, kind: str, with_xbrl: bool
) -> None:
    spec = air_spec_of(rng, kind)
    [invoice] = parse_file(render_air_pdf(spec, PdfVariant(with_xbrl=with_xbrl)))
    assert invoice.business_type == kind  # from TypeOfBusiness, else from the 退票费/改签费 label
    assert (invoice.fare, invoice.tax_rate, invoice.tax_amount) == (
        spec.fare,
        spec.tax_rate,
        spec.tax_amount,
    )
    assert invoice.findings == ()


def test_domain_sample_reads_its_total_and_tax() -> None:
    """DOMAIN §5: 330.28 + 64.22 → 35.505 printed 35.50 (the printed tax is trusted, no finding),
    合计 480.00."""
    spec = domain_sample_air_spec()
    for with_xbrl in (True, False):
        [invoice] = parse_file(render_air_pdf(spec, PdfVariant(with_xbrl=with_xbrl)))
        assert (invoice.kind, invoice.total, invoice.tax_amount) == (
            "air",
            Decimal("480.00"),
            Decimal("35.50"),
        )
        assert invoice.amount_excluding_tax == Decimal("394.50")
        assert (invoice.civil_aviation_fund, invoice.other_taxes) == (
            Decimal("50.00"),
            Decimal("0.00"),
        )
        assert (invoice.e_ticket_number, invoice.domestic) == ("9991234567890", True)
        assert invoice.findings == ()


@settings(max_examples=20, deadline=None)
@given(spec=air_invoice_specs(business_types=("sale",)), with_xbrl=st.booleans())
def test_xbrl_only_reading_matches_the_full_parse(spec: AirInvoiceSpec, with_xbrl: bool) -> None:
    data = render_air_pdf(spec, PdfVariant(with_xbrl=with_xbrl))
    [quick] = parse_file(data, cross_check=False)
    [full] = parse_file(data)
    names = [n for n in spec.parsed_fields() if n != "segments"]
    assert _values(quick, names) == _values(full, names)
    assert quick.segments == full.segments


def _tampered(spec: AirInvoiceSpec, rng: random.Random, name: str) -> AirInvoiceSpec:
    """`spec` with one printed value changed, keeping the amounts consistent with each other."""
    if name == "total_amount":
        return dataclasses.replace(spec, fare=spec.fare + 100, total_amount=spec.total_amount + 100)
    if name == "segments":
        flight = dataclasses.replace(spec.segments[0], flight_number="ZZ9999")
        return dataclasses.replace(spec, segments=(flight, *spec.segments[1:]))
    if name == "e_ticket_number":
        return dataclasses.replace(spec, e_ticket_number=f"{rng.randrange(10**13):013d}")
    return dataclasses.replace(
        spec, passenger_name="李四" if spec.passenger_name != "李四" else "王五"
    )


@settings(max_examples=20, deadline=None)
@given(
    rng=st.randoms(use_true_random=False),
    name=st.sampled_from(("total_amount", "segments", "e_ticket_number", "passenger_name")),
)
def test_a_face_that_differs_from_its_xbrl_is_reported(rng: random.Random, name: str) -> None:
    spec = air_spec_of(rng, "sale")
    printed = _tampered(spec, rng, name)
    [invoice] = parse_file(render_air_pdf(spec, face=printed))
    mismatched = {f.field for f in invoice.findings if f.code == "face-xbrl-mismatch"}
    expected = {"fare", "total_amount"} if name == "total_amount" else {name}
    assert mismatched == expected
    assert invoice.source == "xbrl"
    assert invoice.total_amount == spec.total_amount  # the XBRL's value is kept


def test_amounts_that_do_not_add_up_are_an_arithmetic_finding() -> None:
    spec = domain_sample_air_spec()
    wrong_total = dataclasses.replace(spec, total_amount=Decimal("490.00"))
    wrong_tax = dataclasses.replace(
        spec, tax_amount=Decimal("35.52"), total_amount=Decimal("480.02")
    )
    for with_xbrl in (True, False):
        variant = PdfVariant(with_xbrl=with_xbrl)
        [total] = parse_file(render_air_pdf(wrong_total, variant))
        assert [(f.code, f.field) for f in total.findings] == [("arithmetic", "total_amount")]
        [tax] = parse_file(render_air_pdf(wrong_tax, variant))
        assert [(f.code, f.field) for f in tax.findings] == [("arithmetic", "tax_amount")]


def _grid() -> list[ParameterSet]:
    """Every reported variant × kind × XBRL or face only × PDF or OFD; variants that change only
    the XBRL are not repeated face only."""
    return [
        pytest.param(variant, kind, with_xbrl, rendition, id=f"{variant}-{kind}-{src}-{rendition}")
        for variant in AIR_REAL_VARIANT_NAMES
        for kind in ("sale", "refund", "change", "red-letter")
        for with_xbrl, src in ((True, "xbrl"), (False, "face"))
        if with_xbrl or variant not in AIR_XBRL_ONLY_VARIANTS
        for rendition in ("pdf", "ofd")
    ]


@pytest.mark.parametrize(("variant", "kind", "with_xbrl", "rendition"), _grid())
@GRID
@given(rng=st.randoms(use_true_random=False), count=st.integers(1, 4))
def test_every_reported_air_variant_reads_every_field(
    variant: str, kind: str, with_xbrl: bool, rendition: Rendition, rng: random.Random, count: int
) -> None:
    spec = air_spec_of(rng, kind, segments=count)
    [invoice] = parse_file(render_air_real(spec, variant, rendition, with_xbrl=with_xbrl))
    assert_air_round_trip(invoice, spec, from_xbrl=with_xbrl)
    assert [r.kind for r in invoice.renditions] == [rendition]


@ROUND_TRIP
@given(
    spec=air_invoice_specs(allow_personal_buyer=True),
    style=face_styles(),
    with_xbrl=st.booleans(),
    xbrl=air_xbrl_options(),
)
def test_air_ofd_round_trip(
    spec: AirInvoiceSpec, style: FaceStyle, with_xbrl: bool, xbrl: AirXbrlOptions
) -> None:
    """The XBRL under `Doc_0/Attachs`, or the face's TextCode only."""
    [invoice] = parse_file(render_air_ofd(spec, style=style, with_xbrl=with_xbrl, xbrl=xbrl))
    expected = _expected(spec, from_xbrl=with_xbrl)
    assert _values(invoice, list(expected)) == expected
    assert [r.kind for r in invoice.renditions] == ["ofd"]
    if with_xbrl:
        assert invoice.xbrl is not None
        assert b"/aei" in invoice.xbrl


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), per_zip=st.integers(2, 5))
def test_a_zip_of_railway_invoices_and_itineraries_reads_each_in_order(
    seed: int, per_zip: int
) -> None:
    [bundle] = generate_mixed_zips(seed, 1, per_zip=per_zip)
    invoices = parse_file(bundle.data, bundle.filename)
    assert [i.invoice_number for i in invoices] == [s.invoice_number for s in bundle.specs]
    assert {i.kind for i in invoices} == {"railway", "air"}
    for invoice, spec in zip(invoices, bundle.specs, strict=True):
        assert [r.kind for r in invoice.renditions] == ["pdf", "ofd"]
        if isinstance(spec, AirInvoiceSpec):
            assert_air_round_trip(invoice, spec, from_xbrl=True)
        else:
            assert (invoice.kind, invoice.fare, invoice.segments) == ("railway", spec.fare, ())


def test_every_air_corpus_variant_parses_to_its_spec() -> None:
    for item in generate_air_corpus(18, 2 * len(AIR_VARIANTS), AIR_VARIANTS):
        invoices = parse_file(item.data, item.filename)
        assert [i.invoice_number for i in invoices] == [item.spec.invoice_number], item.filename
        assert invoices[0].kind == "air"
        assert invoices[0].total_amount == item.spec.total_amount
        assert invoices[0].segments == item.spec.segments


# DOMAIN §5's face as placed runs (the generator's millimetres × 3, y downwards).
AIR_RUNS: list[tuple[float, float, str]] = [
    (144, 42, "电子发票（航空运输电子客票行程单）"),
    (420, 33, "发票号码:25111000000012345678"),
    (420, 51, "开票日期:2025年03月20日"),
    (66, 78, "国内国际标识:国内"),
    (66, 99, "旅客姓名:张三"),
    (300, 99, "有效身份证件号码:1101011990****1234"),
    *[(x * 3, 126, label) for x, label in ((58, "承运人"), (84, "航班号"), (102, "座位等级"))],
    *[(x * 3, 126, label) for x, label in ((120, "日期"), (150, "时间"))],
    (66, 147, "自:北京首都"),
    *[(x * 3, 147, v) for x, v in ((58, "中国国际航空"), (84, "CA1831"), (102, "Y"))],
    *[(x * 3, 147, v) for x, v in ((120, "2025年03月15日"), (150, "08:30"))],
    (66, 162, "至:上海虹桥"),
    *[(x * 3, 276, label) for x, label in ((22, "票价"), (47, "燃油附加费"), (72, "增值税税率"))],
    *[(x * 3, 276, label) for x, label in ((97, "增值税税额"), (122, "民航发展基金"))],
    *[(x * 3, 276, label) for x, label in ((147, "其他税费"), (172, "合计"))],
    *[(x * 3, 294, v) for x, v in ((22, "CNY 330.28"), (47, "CNY 64.22"), (72, "9%"))],
    *[(x * 3, 294, v) for x, v in ((97, "CNY 35.50"), (122, "CNY 50.00"), (147, "CNY 0.00"))],
    (516, 294, "CNY 480.00"),
    (66, 318, "电子客票号码:9991234567890"),
    (66, 360, "购买方名称:北京示例科技有限公司"),
    (354, 360, "统一社会信用代码:91110108MA01ABCD1E"),
]


def test_the_kind_of_a_face_follows_its_title_else_the_fields_only_it_has() -> None:
    assert read(AIR_RUNS).kind == "air"
    assert read(SAMPLE_RUNS).kind == "railway"
    untitled = read([run for run in AIR_RUNS if not run[2].startswith("电子发票")])
    assert untitled.kind == "air"
    assert untitled.fields.total_amount == Decimal("480.00")
    assert untitled.fields.segments is not None
    assert [s.flight_number for s in untitled.fields.segments] == ["CA1831"]


def test_drawing_order_does_not_matter_only_positions_do() -> None:
    shuffled = list(AIR_RUNS)
    random.Random(5).shuffle(shuffled)
    assert read(shuffled).fields == read(AIR_RUNS).fields
    assert read(AIR_RUNS).fields.tax_amount == Decimal("35.50")


def _with_lines(add: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """AIR_RUNS with the table and amount rows replaced by `add`."""
    return [run for run in AIR_RUNS if run[1] not in (126, 147, 276, 294)] + add


WHOLE_LINES = [
    (66, 126, "承运人 航班号 座位等级 日期 时间"),
    (66, 147, "自:北京首都 中国国际航空 CA1831 Y 2025-03-15 08:30"),
    (66, 276, "票价 燃油附加费 增值税税率 增值税税额 民航发展基金 其他税费 合计"),
    (66, 294, "CNY330.28 CNY64.22 9% CNY35.50 CNY50.00 CNY0.00 CNY480.00"),
]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        # Each line drawn as one string: label and value widths no longer line up by position.
        (
            _with_lines(WHOLE_LINES),
            {"fare": Decimal("330.28"), "total_amount": Decimal("480.00")},
        ),
        # No label row at all: the amounts in DOMAIN §5's order.
        (
            _with_lines([WHOLE_LINES[0], WHOLE_LINES[1], WHOLE_LINES[3]]),
            {"tax_amount": Decimal("35.50"), "civil_aviation_fund": Decimal("50.00")},
        ),
        # The passenger without labels, the name run into the masked ID.
        (
            [r for r in AIR_RUNS if not r[2].startswith(("旅客姓名", "有效身份"))]
            + [(66, 99, "1101011990****1234张三")],
            {"passenger_name": "张三", "passenger_id_masked": "1101011990****1234"},
        ),
        # The 数电票 buyer label and an ISO issue date.
        (
            [r for r in AIR_RUNS if not r[2].startswith(("统一社会信用代码", "开票日期"))]
            + [(354, 360, "统一社会信用代码/纳税人识别号：91110108MA01ABCD1E")]
            + [(420, 51, "开票日期: 2025-03-20")],
            {"buyer_tax_id": "91110108MA01ABCD1E", "issue_date": dt.date(2025, 3, 20)},
        ),
    ],
    ids=["whole-lines", "no-label-row", "unlabelled-passenger", "vat-invoice-labels"],
)
def test_other_face_layouts_still_read(
    layout: list[tuple[float, float, str]], expected: dict[str, object]
) -> None:
    reading = read(layout)
    assert reading.kind == "air"
    assert {name: getattr(reading.fields, name) for name in expected} == expected
    assert reading.fields.segments is not None
    assert [s.travel_date for s in reading.fields.segments] == [dt.date(2025, 3, 15)]


def test_an_e_ticket_number_printed_with_its_carrier_apart_reads_as_13_digits() -> None:
    runs = [r for r in AIR_RUNS if not r[2].startswith("电子客票号码")]
    reading = read([*runs, (66, 318, "电子客票号码: 999-1234567890")])
    assert reading.fields.e_ticket_number == "9991234567890"


CENTS = st.integers(0, 500_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=200, deadline=None)
@given(
    fare=CENTS,
    fuel=CENTS,
    fund=st.sampled_from((Decimal("0.00"), Decimal("50.00"), Decimal("90.00"))),
    other=CENTS,
    tax_off=st.sampled_from((0, 2, -2, 5)),
    total_off=st.sampled_from((0, 1, -1)),
    negative=st.booleans(),
)
def test_the_arithmetic_finding_follows_spec_rules(
    fare: Decimal,
    fuel: Decimal,
    fund: Decimal,
    other: Decimal,
    tax_off: int,
    total_off: int,
    negative: bool,
) -> None:
    """合计 must be the exact sum; the tax within one cent of 9 % × (票价 + 燃油): the printed
    tax rounds once (≤ half a cent off), two cents off is always reported."""
    sign = -1 if negative else 1
    tax = ((fare + fuel) * Decimal("0.09")).quantize(Decimal("0.01")) + Decimal(tax_off) / 100
    parts = [sign * v for v in (fare, fuel, tax, fund, other)]
    fields = InvoiceFields(
        fare=parts[0],
        fuel_surcharge=parts[1],
        tax_amount=parts[2],
        civil_aviation_fund=parts[3],
        other_taxes=parts[4],
        tax_rate=Decimal("0.09"),
        total_amount=sum(parts, Decimal(0)) + Decimal(total_off) / 100,
    )
    found = [f.field for f in check_air_amounts(fields) if f.code == "arithmetic"]
    expected = [name for name, off in (("total_amount", total_off), ("tax_amount", tax_off)) if off]
    assert found == expected
