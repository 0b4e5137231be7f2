"""The synthetic reference samples parse to their XBRL values, with no findings."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from app.invoices.parsing import parse_file
from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.pdf import read_pdf

SALE = {
    "invoice_number": "25119199999000000001",
    "business_type": "sale",
    "issue_date": dt.date(2025, 3, 20),
    "train_number": "G1",
    "departure_station": "北京南",
    "arrival_station": "上海虹桥",
    "travel_date": dt.date(2025, 3, 15),
    "departure_time": dt.time(9, 0),
    "seat_class": "二等座",
    "carriage": "05",
    "seat": "08A",
    "fare": Decimal("553.00"),
    "amount_excluding_tax": Decimal("507.34"),
    "tax_rate": Decimal("0.09"),
    "tax_amount": Decimal("45.66"),
    "e_ticket_number": "9999964086031590000012025",
    "passenger_name": "张三",
    "passenger_id_masked": "1101011990****1234",
    "buyer_name": "示例科技有限公司",
    "buyer_tax_id": "91110108MA00000070",
    "original_invoice_number": None,
}
REFUND = {
    **SALE,
    "invoice_number": "25119199999000000002",
    "business_type": "refund",
    "issue_date": dt.date(2025, 3, 14),
    "fare": Decimal("27.50"),
    "amount_excluding_tax": Decimal("25.94"),
    "tax_rate": Decimal("0.06"),
    "tax_amount": Decimal("1.56"),
    "e_ticket_number": "9999964086031590000022025",
    "original_invoice_number": "25119199999000000003",
}


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("railway_einvoice_SYNTHETIC.pdf", "pdf", SALE),
        ("railway_einvoice_SYNTHETIC.ofd", "ofd", SALE),
        ("rai_issuer_sale_SYNTHETIC.xml", "xml", SALE),
        ("rai_issuer_refund_SYNTHETIC.xml", "xml", REFUND),
    ],
)
def test_sample_parses_to_its_xbrl_values_without_findings(
    samples: Path, name: str, kind: str, expected: dict[str, object]
) -> None:
    data = (samples / name).read_bytes()
    [invoice] = parse_file(data, name)
    assert {field: getattr(invoice, field) for field in expected} == expected
    assert invoice.findings == ()
    assert invoice.source == "xbrl"
    assert [r.kind for r in invoice.renditions] == [kind]
    assert invoice.renditions[0].filename == name
    assert invoice.renditions[0].data == data
    assert invoice.xbrl is not None
    assert b"rai" in invoice.xbrl


def test_sample_pdf_face_alone_reads_every_printed_field(samples: Path) -> None:
    from app.invoices.parsing.model import ParseLimits

    data = (samples / "railway_einvoice_SYNTHETIC.pdf").read_bytes()
    extraction = read_pdf(data, ParseLimits(), Deadline(5), want_face=True)
    assert extraction.face is not None
    assert extraction.face.kind == "railway"
    printed = extraction.face.fields.present()
    untaxed = {k: v for k, v in SALE.items() if k not in ("amount_excluding_tax", "tax_rate")}
    untaxed = {k: v for k, v in untaxed.items() if k != "tax_amount"}
    assert printed == {k: v for k, v in untaxed.items() if v is not None}


def test_zip_of_pdf_and_ofd_merges_into_one_invoice_with_two_renditions(samples: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(samples / "railway_einvoice_SYNTHETIC.ofd", "25119199999000000001.ofd")
        archive.write(samples / "railway_einvoice_SYNTHETIC.pdf", "25119199999000000001.pdf")
        archive.write(samples / "rai_issuer_refund_SYNTHETIC.xml", "refund.xml")
    invoices = parse_file(buffer.getvalue(), "mail.zip")
    assert [i.invoice_number for i in invoices] == ["25119199999000000001", "25119199999000000002"]
    assert [r.kind for r in invoices[0].renditions] == ["ofd", "pdf"]
    assert [r.filename for r in invoices[0].renditions][1] == "25119199999000000001.pdf"
    assert invoices[0].findings == ()
    assert invoices[1].findings == ()


def test_xbrl_only_reading_skips_the_face_but_yields_the_same_record(samples: Path) -> None:
    data = (samples / "railway_einvoice_SYNTHETIC.pdf").read_bytes()
    [full] = parse_file(data)
    [quick] = parse_file(data, cross_check=False)
    assert quick == full
