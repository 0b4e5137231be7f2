"""The XBRL instance and the OFD package carry the spec's values in the samples' structure."""

from __future__ import annotations

import dataclasses
import io
import random
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

from railclaim_devkit.synthetic import (
    XbrlOptions,
    random_spec,
    render_12306_bundle,
    render_ofd,
    render_xbrl,
)
from railclaim_devkit.synthetic.spec import InvoiceSpec

RAI = "{http://xbrl.mof.gov.cn/taxonomy/2021-11-30/rai}"
OFD = "{http://www.ofdspec.org/2016}"


def _spec(seed: int = 21, **kw: object) -> InvoiceSpec:
    return random_spec(random.Random(seed), **kw)  # type: ignore[arg-type]


def _facts(xml: bytes, ns: str = RAI) -> dict[str, str]:
    root = ET.fromstring(xml)
    return {el.tag.removeprefix(ns): el.text or "" for el in root if el.tag.startswith(ns)}


def test_xbrl_holds_every_value():
    spec = _spec(seat_class="二等座", train_number="G1", seat="08A", carriage="05")
    facts = _facts(render_xbrl(spec))
    assert facts["ElectronicInvoiceRailwayETicketNumber"] == spec.invoice_number
    assert facts["TypeOfBusiness"] == spec.business_type_label
    assert facts["DateOfIssue"] == spec.issue_date.isoformat()
    assert facts["TravelDate"] == spec.travel_date.isoformat()
    assert facts["DepartureTime"] == f"{spec.departure_time:%H:%M}"
    assert facts["Carriage"] == "05车"
    assert facts["Seat"] == "08A号"
    assert Decimal(facts["Fare"]) == spec.fare
    assert Decimal(facts["TotalAmountExcludingTax"]) + Decimal(facts["TaxAmount"]) == spec.fare
    assert Decimal(facts["TaxRate"]) == spec.tax_rate
    assert facts["IdNumber"] == spec.passenger_id_masked
    assert facts["UnifiedSocialCreditCodeOfPurchaser"] == (spec.buyer_tax_id or "")
    assert facts["ElectronicTicketNum"] == spec.e_ticket_number


def test_xbrl_options_change_namespace_and_omit_optional_elements():
    spec = _spec(business_type="sale")
    options = XbrlOptions(taxonomy_date="2024-06-30", e_ticket_element=False, empty_elements=False)
    facts = _facts(render_xbrl(spec, options), "{http://xbrl.mof.gov.cn/taxonomy/2024-06-30/rai}")
    assert "ElectronicTicketNum" not in facts
    assert "NumberOfOriginalInvoice" not in facts
    assert facts["Fare"]


def test_xbrl_red_letter_amounts_are_negative():
    facts = _facts(render_xbrl(_spec(red_letter=True)))
    assert facts["Fare"].startswith("-")
    assert facts["TaxAmount"].startswith("-")
    assert len(facts["NumberOfOriginalInvoice"]) == 20


def test_ofd_structure_and_attachment():
    spec = _spec()
    data = render_ofd(spec)
    assert data == render_ofd(_spec())
    with zipfile.ZipFile(io.BytesIO(data)) as ofd:
        names = ofd.namelist()
        assert names[0] == "OFD.xml"
        assert "Doc_0/Pages/Page_0/Content.xml" in names
        doc_root = ET.fromstring(ofd.read("OFD.xml")).find(f".//{OFD}DocRoot")
        assert doc_root is not None
        assert doc_root.text == "Doc_0/Document.xml"
        attachments = ET.fromstring(ofd.read("Doc_0/Attachs/Attachments.xml"))
        loc = attachments.find(f".//{OFD}FileLoc")
        assert loc is not None
        assert ofd.read(f"Doc_0/Attachs/{loc.text}") == render_xbrl(spec)
        content = ET.fromstring(ofd.read("Doc_0/Pages/Page_0/Content.xml"))
        codes = [el.text or "" for el in content.iter(f"{OFD}TextCode")]
        assert f"发票号码:{spec.invoice_number}" in codes
        boundaries = [el.get("Boundary") for el in content.iter(f"{OFD}TextObject")]
        assert all(b and len(b.split()) == 4 for b in boundaries)


def test_ofd_without_xbrl_has_no_attachments():
    with zipfile.ZipFile(io.BytesIO(render_ofd(_spec(), with_xbrl=False))) as ofd:
        assert not [n for n in ofd.namelist() if "Attachs" in n]


def test_bundle_holds_pdf_and_ofd_of_each_invoice():
    specs = [_spec(seed) for seed in range(3)]
    with zipfile.ZipFile(io.BytesIO(render_12306_bundle(specs))) as bundle:
        names = bundle.namelist()
        assert names == [f"{s.invoice_number}.{k}" for s in specs for k in ("pdf", "ofd")]
        assert bundle.read(names[0]).startswith(b"%PDF-")
        assert bundle.read(names[1]).startswith(b"PK")


def test_tampered_face_keeps_the_original_xbrl():
    spec = _spec(business_type="sale")
    forged = dataclasses.replace(spec, fare=spec.fare + 100)
    with zipfile.ZipFile(io.BytesIO(render_ofd(spec, face=forged))) as ofd:
        content = ofd.read("Doc_0/Pages/Page_0/Content.xml").decode()
        xml = ofd.read(f"Doc_0/Attachs/rai_issuer_{spec.invoice_number}.xml")
    assert f"￥{forged.fare:.2f}" in content
    assert Decimal(_facts(xml)["Fare"]) == spec.fare
