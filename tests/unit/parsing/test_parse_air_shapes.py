"""Air faces beyond DOMAIN §5's exact shape that an independent reading of it drew: airports with
their terminal, the paper itinerary's chained table, amounts marked `¥`/`￥` or not at all, Latin
names, zero-rated wording. Each reads to its own values, and a flight row that cannot be read
refuses the file rather than disappearing."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.invoices.parsing import ParsedInvoice, UnreadableFile, parse_file
from railclaim_devkit.synthetic import (
    AirFaceOptions,
    AirInvoiceSpec,
    AirXbrlOptions,
    FaceStyle,
    PdfVariant,
    domain_sample_air_spec,
    random_air_spec,
    render_air_ofd,
    render_air_pdf,
)
from tests.fixtures.air_strategies import air_invoice_specs
from tests.fixtures.strategies import face_styles
from tests.unit.parsing.test_parse_air import assert_air_round_trip

SHAPES = settings(max_examples=25, deadline=None)
FACE_ONLY = PdfVariant(with_xbrl=False)


def _with_airports(spec: AirInvoiceSpec, *airports: tuple[str, str]) -> AirInvoiceSpec:
    segments = tuple(
        dataclasses.replace(segment, departure_airport=dep, arrival_airport=arr)
        for segment, (dep, arr) in zip(spec.segments, airports, strict=False)
    )
    return dataclasses.replace(spec, segments=segments + spec.segments[len(segments) :])


def _parse(
    spec: AirInvoiceSpec, variant: PdfVariant = FACE_ONLY, air_face: AirFaceOptions | None = None
) -> ParsedInvoice:
    pdf = render_air_pdf(spec, variant, air_face=air_face or AirFaceOptions())
    [invoice] = parse_file(pdf, "itinerary.pdf")
    return invoice


TERMINALS = st.sampled_from(
    (("北京首都T3", "上海虹桥T2"), ("上海浦东 T1", "广州白云T2"), ("成都天府", "深圳宝安T3"))
)


@SHAPES
@given(seed=st.integers(0, 2**32), style=face_styles(), airports=TERMINALS, xbrl=st.booleans())
def test_airports_keep_their_terminal(
    seed: int, style: FaceStyle, airports: tuple[str, str], xbrl: bool
) -> None:
    """`自:北京首都T3 … / 至:上海虹桥T2`: the airport as printed, terminal included (the probe
    found such a row dropped, with no finding)."""
    spec = _with_airports(random_air_spec(random.Random(seed), segment_count=1), airports)
    invoice = _parse(spec, PdfVariant(face=style, with_xbrl=xbrl))
    assert_air_round_trip(invoice, spec, from_xbrl=xbrl)
    assert (invoice.departure_station, invoice.arrival_station) == airports


def test_an_unreadable_flight_row_refuses_the_face_only_file() -> None:
    """A flight row the parser cannot read never leaves an itinerary without flights: refused,
    the message naming the flight table."""
    spec = _with_airports(domain_sample_air_spec(), ("北京首都/PEK", "上海虹桥"))
    with pytest.raises(UnreadableFile, match="flight table"):
        _parse(spec)


def test_one_unreadable_row_of_two_is_no_silent_drop() -> None:
    base = random_air_spec(random.Random(7), segment_count=2)
    spec = _with_airports(base, ("北京首都", "上海虹桥"), ("上海虹桥/SHA", "广州白云"))
    with pytest.raises(UnreadableFile, match="flight table"):
        _parse(spec)


def test_an_unreadable_flight_row_beside_the_xbrl_is_a_finding() -> None:
    """The XBRL supplies the flights; the face that does not show them is reported."""
    spec = _with_airports(domain_sample_air_spec(), ("北京首都/PEK", "上海虹桥"))
    invoice = _parse(spec, PdfVariant())
    assert [s.flight_number for s in invoice.segments] == ["CA1831"]
    [finding] = invoice.findings
    assert (finding.code, finding.field) == ("face-xbrl-mismatch", "segments")
    assert "flight table" in finding.message
    assert "CA1831 2025-03-15" in finding.message


@SHAPES
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 4),
    style=face_styles(),
    xbrl=st.booleans(),
)
def test_chained_flight_table(seed: int, count: int, style: FaceStyle, xbrl: bool) -> None:
    """The paper itinerary's chain `自:A CA1831 …` / `至:B MU5301 …` / `至:C`: every flight,
    each leaving from the previous one's arrival."""
    spec = random_air_spec(random.Random(seed), segment_count=count)
    invoice = _parse(spec, PdfVariant(face=style, with_xbrl=xbrl), AirFaceOptions(chained=True))
    assert_air_round_trip(invoice, spec, from_xbrl=xbrl)
    assert len(invoice.segments) == count


def test_chained_sample_of_two_flights() -> None:
    spec = random_air_spec(random.Random(3), segment_count=2)
    invoice = _parse(spec, air_face=AirFaceOptions(chained=True))
    first, second = invoice.segments
    assert first.arrival_airport == second.departure_airport == spec.segments[1].departure_airport
    assert [s.flight_number for s in invoice.segments] == [s.flight_number for s in spec.segments]


@SHAPES
@given(
    spec=air_invoice_specs(),
    style=face_styles(),
    currency=st.sampled_from(("yen", "bare")),
    xbrl=st.booleans(),
)
def test_amounts_marked_yen_or_bare(
    spec: AirInvoiceSpec, style: FaceStyle, currency: str, xbrl: bool
) -> None:
    """`¥330.28`, `￥330.28` or `330.28` under their labels read as `CNY 330.28` does (the probe
    found them refused as `no fare`, and beside a correct XBRL a false face-xbrl-mismatch)."""
    face = AirFaceOptions(currency=currency)  # type: ignore[arg-type]
    invoice = _parse(spec, PdfVariant(face=style, with_xbrl=xbrl), face)
    assert_air_round_trip(invoice, spec, from_xbrl=xbrl)


@SHAPES
@given(
    seed=st.integers(0, 2**32),
    style=face_styles(),
    name=st.sampled_from(("ZHANG/SAN", "LI/XIAOMING", "O/BRIEN")),
    xbrl=st.booleans(),
)
def test_latin_passenger_name_keeps_its_slash(
    seed: int, style: FaceStyle, name: str, xbrl: bool
) -> None:
    """`旅客姓名:ZHANG/SAN` is `ZHANG/SAN` (the probe read `ZHANG`)."""
    spec = random_air_spec(random.Random(seed), passenger_name=name)
    invoice = _parse(spec, PdfVariant(face=style, with_xbrl=xbrl))
    assert_air_round_trip(invoice, spec, from_xbrl=xbrl)
    assert invoice.passenger_name == name


@SHAPES
@given(
    seed=st.integers(0, 2**32),
    style=face_styles(),
    wording=st.sampled_from(("免税", "不征税")),
    xbrl=st.booleans(),
)
def test_exempt_rate_wording_is_rate_zero(
    seed: int, style: FaceStyle, wording: str, xbrl: bool
) -> None:
    """An international itinerary printing `免税`/`不征税` for its rate and tax 0.00: rate 0, no
    `arithmetic` finding (the probe's fell back to 9 %)."""
    spec = random_air_spec(random.Random(seed), domestic=False, business_type="sale")
    face = AirFaceOptions(zero_rate_text=wording)
    invoice = _parse(spec, PdfVariant(face=style, with_xbrl=xbrl), face)
    assert_air_round_trip(invoice, spec, from_xbrl=xbrl)
    assert invoice.tax_rate == 0


def test_exempt_rate_with_a_tax_is_an_arithmetic_finding() -> None:
    """免税 means no VAT: a printed tax beside it is reported, not taken at 9 %."""
    spec = random_air_spec(random.Random(5), domestic=False, business_type="sale")
    base = spec.fare + spec.fuel_surcharge
    taxed = dataclasses.replace(
        spec, tax_amount=(base * 9 / 100).quantize(spec.fare), total_amount=spec.total_amount
    )
    invoice = _parse(taxed, air_face=AirFaceOptions(zero_rate_text="免税"))
    assert invoice.tax_rate == 0
    assert "arithmetic" in [f.code for f in invoice.findings]


@SHAPES
@given(
    spec=air_invoice_specs(),
    taxonomy=st.sampled_from(("aei", "air", "aeit")),
    number=st.sampled_from((None, "ElectronicInvoiceAirETicketNumber")),
)
def test_xbrl_under_another_taxonomy_name_or_number_element(
    spec: AirInvoiceSpec, taxonomy: str, number: str | None
) -> None:
    """`…/taxonomy/<date>/air` instead of `/aei`, the invoice number named like the railway's
    (`…ETicketNumber`): still the itinerary's XBRL, the 20 digits never taken as the e-ticket."""
    options = AirXbrlOptions(taxonomy=taxonomy, invoice_number_element=number)
    [invoice] = parse_file(render_air_pdf(spec, xbrl=options), "itinerary.pdf")
    assert_air_round_trip(invoice, spec, from_xbrl=True)


@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_an_attached_xbrl_not_recognised_is_a_finding(rendition: str) -> None:
    """An instance whose invoice number is under an unknown name is not used, and says so."""
    spec = domain_sample_air_spec()
    options = AirXbrlOptions(invoice_number_element="Fapiaohao")
    if rendition == "pdf":
        data = render_air_pdf(spec, xbrl=options)
    else:
        data = render_air_ofd(spec, xbrl=options)
    [invoice] = parse_file(data, f"itinerary.{rendition}")
    assert invoice.source == "text"
    assert invoice.total_amount == spec.total_amount
    [finding] = invoice.findings
    assert finding.code == "xbrl-unrecognised"
    assert "aei_issuer_" in finding.message
