"""Air itineraries as OFD, as ZIP (alone and mixed with railway), reported variants, corpora."""

from __future__ import annotations

import io
import random
import xml.etree.ElementTree as ET
import zipfile

import pytest
from pypdf import PdfReader

from railclaim_devkit.synthetic import (
    AIR_REAL_VARIANT_NAMES,
    AIR_REAL_VARIANTS,
    AIR_VARIANTS,
    AIR_XBRL_ONLY_VARIANTS,
    AirInvoiceSpec,
    InvoiceSpec,
    domain_sample_air_spec,
    generate_air_corpus,
    generate_mixed_zips,
    random_air_spec,
    random_spec,
    render_12306_bundle,
    render_air_ofd,
    render_air_real,
    render_air_variant,
    render_air_xbrl,
)
from railclaim_devkit.synthetic.mutate import air_seed_files

OFD = "{http://www.ofdspec.org/2016}"
AIR_TITLE = "电子发票（航空运输电子客票行程单）"


def _ofd_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        page = ET.fromstring(package.read("Doc_0/Pages/Page_0/Content.xml"))
    return "".join(code.text or "" for code in page.iter(f"{OFD}TextCode"))


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_ofd_holds_the_xbrl_in_its_attachments():
    spec = domain_sample_air_spec()
    members = _members(render_air_ofd(spec))
    name = f"aei_issuer_{spec.invoice_number}.xml"
    assert members[f"Doc_0/Attachs/{name}"] == render_air_xbrl(spec)
    declared = ET.fromstring(members["Doc_0/Attachs/Attachments.xml"])
    assert [loc.text for loc in declared.iter(f"{OFD}FileLoc")] == [name]
    text = _ofd_text(render_air_ofd(spec))
    for piece in (
        AIR_TITLE,
        "CNY 480.00",
        "自:北京首都",
        "至:上海虹桥",
        "电子客票号码:9991234567890",
    ):
        assert piece in text


def test_face_only_ofd_has_no_attachments():
    members = _members(render_air_ofd(domain_sample_air_spec(), with_xbrl=False))
    assert not [name for name in members if "Attachs" in name]
    assert b"Attachments" not in members["Doc_0/Document.xml"]


def test_air_zip_holds_pdf_and_ofd():
    spec = random_air_spec(random.Random(1))
    filename, data = render_air_variant(spec, "air-zip")
    assert filename == f"{spec.invoice_number}.zip"
    members = _members(data)
    assert list(members) == [f"{spec.invoice_number}.pdf", f"{spec.invoice_number}.ofd"]
    assert members[f"{spec.invoice_number}.pdf"].startswith(b"%PDF-")


def test_mixed_zips_hold_both_kinds_in_spec_order():
    zips = list(generate_mixed_zips(3, 6, per_zip=4))
    assert zips == list(generate_mixed_zips(3, 6, per_zip=4))
    for item in zips:
        kinds = {type(spec) for spec in item.specs}
        assert kinds == {InvoiceSpec, AirInvoiceSpec}
        members = _members(item.data)
        expected = [f"{s.invoice_number}.{ext}" for s in item.specs for ext in ("pdf", "ofd")]
        assert list(members) == expected
        for spec in item.specs:
            face = PdfReader(io.BytesIO(members[f"{spec.invoice_number}.pdf"])).pages[0]
            is_air = isinstance(spec, AirInvoiceSpec)
            assert (AIR_TITLE in face.extract_text()) == is_air


def test_a_hand_built_mixed_bundle():
    rng = random.Random(2)
    rail, air = random_spec(rng), random_air_spec(rng)
    members = _members(render_12306_bundle([rail, air], renditions=("ofd",)))
    assert list(members) == [f"{rail.invoice_number}.ofd", f"{air.invoice_number}.ofd"]
    assert AIR_TITLE in _ofd_text(members[f"{air.invoice_number}.ofd"])
    assert AIR_TITLE not in _ofd_text(members[f"{rail.invoice_number}.ofd"])


@pytest.mark.parametrize("variant", AIR_REAL_VARIANT_NAMES)
def test_every_reported_variant_renders_both_renditions(variant):
    spec = random_air_spec(random.Random(3), segment_count=2)
    pdf = render_air_real(spec, variant, "pdf")
    ofd = render_air_real(spec, variant, "ofd")
    assert pdf.startswith(b"%PDF-")
    assert ofd.startswith(b"PK")
    face_only = render_air_real(spec, variant, "pdf", with_xbrl=False)
    assert b"aei" not in face_only
    assert pdf != face_only
    xbrl = [data for name, data in _members(ofd).items() if name.startswith("Doc_0/Attachs/")]
    assert any(b"/aei" in data for data in xbrl)


def test_reported_variants_cover_the_air_xbrl_shapes():
    assert {"xbrl-prefixed-names", "xbrl-extra-elements", "xbrl-later-taxonomy"} <= set(
        AIR_XBRL_ONLY_VARIANTS
    )
    assert "fare-own-line" not in AIR_REAL_VARIANTS  # a railway-only face option
    spec = domain_sample_air_spec()
    named_0 = PdfReader(io.BytesIO(render_air_real(spec, "attachment-named-0", "pdf")))
    assert list(named_0.attachments) == ["0"]
    prefixed = _members(render_air_real(spec, "xbrl-prefixed-names", "ofd"))
    xml = prefixed[f"Doc_0/Attachs/aei_issuer_{spec.invoice_number}.xml"]
    assert b"<aei:ElectronicInvoiceAirFare " in xml


def test_air_corpus_is_reproducible_and_covers_every_variant():
    first = [(f.filename, f.data) for f in generate_air_corpus(3, len(AIR_VARIANTS), AIR_VARIANTS)]
    again = [(f.filename, f.data) for f in generate_air_corpus(3, len(AIR_VARIANTS), AIR_VARIANTS)]
    assert first == again
    magics = {".pdf": b"%PDF-", ".ofd": b"PK", ".zip": b"PK", ".xml": b"<?xml"}
    files = list(generate_air_corpus(4, len(AIR_VARIANTS), AIR_VARIANTS))
    for name, item in zip(AIR_VARIANTS, files, strict=True):
        suffix = item.filename[item.filename.rindex(".") :]
        assert item.data.startswith(magics[suffix]), name
        assert item.spec.invoice_number in item.filename


def test_air_corpus_overrides_and_refusals():
    files = list(generate_air_corpus(5, 20, buyer_name="示例科技有限公司", red_letter_share=0.5))
    assert {f.spec.buyer_name for f in files} == {"示例科技有限公司"}
    assert any(f.spec.is_red_letter for f in files)
    assert not all(f.spec.is_red_letter for f in files)
    with pytest.raises(ValueError, match="unknown air variants"):
        next(generate_air_corpus(1, 1, ["air-pdf", "pdf"]))
    with pytest.raises(ValueError, match="at least one railway invoice"):
        next(generate_mixed_zips(1, 1, per_zip=1))


def test_air_fuzz_seeds_cover_every_file_kind():
    seeds = air_seed_files()
    assert seeds == air_seed_files()
    magics = {".pdf": b"%PDF-", ".ofd": b"PK", ".zip": b"PK", ".xml": b"<?xml"}
    for seed in seeds:
        assert seed.data.startswith(magics[seed.name[seed.name.rindex(".") :]]), seed.name
    assert len({seed.data for seed in seeds}) == len(seeds)
    mixed = _members(next(s.data for s in seeds if s.name == "mixed.zip"))
    assert len(mixed) == 4
