"""XBRL as issuers' writers vary it: declared in a multi-byte Chinese encoding, or with the
taxonomy namespace spelled another way. Each reads as the canonical file does."""

from __future__ import annotations

import random
import re

import pytest

from app.invoices.parsing import ParsedInvoice, UnreadableFile, parse_file
from app.invoices.parsing.xbrl import parse_xml
from railclaim_devkit.synthetic import random_spec, render_xbrl
from railclaim_devkit.synthetic.xbrl import rai_namespace

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


def _canonical() -> bytes:
    data = render_xbrl(random_spec(random.Random(7), business_type="sale"))
    assert data.startswith(DECLARATION)
    return data


def _fields(invoice: ParsedInvoice) -> dict[str, object]:
    return {
        "invoice_number": invoice.invoice_number,
        "fare": invoice.fare,
        "passenger_name": invoice.passenger_name,
        "departure_station": invoice.departure_station,
        "buyer_name": invoice.buyer_name,
        "findings": invoice.findings,
    }


def _read(data: bytes) -> ParsedInvoice:
    [invoice] = parse_file(data, "invoice.xml")
    return invoice


@pytest.mark.parametrize("encoding", ["GBK", "GB2312", "gb18030", "cp936"])
def test_an_xbrl_in_a_chinese_multi_byte_encoding_reads_as_its_utf8_twin(encoding: str) -> None:
    utf8 = _canonical()
    text = utf8.decode("utf-8").replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)
    # GB2312 holds every character the generator prints; Python's gb2312 codec writes it.
    recoded = text.encode("gb2312")
    assert recoded != utf8
    assert _fields(_read(recoded)) == _fields(_read(utf8))


def test_bytes_that_are_not_the_declared_encoding_are_an_unreadable_file() -> None:
    broken = DECLARATION.replace(b"UTF-8", b"Big5") + b"<a>\xff\xfe\xff</a>"
    with pytest.raises(UnreadableFile, match="encoding it declares"):
        parse_xml(broken)


def test_a_dtd_in_a_gbk_document_is_still_refused_as_a_forbidden_construct() -> None:
    hostile = (
        b'<?xml version="1.0" encoding="GBK"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;\xd6\xd0</a>'
    )
    with pytest.raises(UnreadableFile, match="forbidden construct"):
        parse_xml(hostile)


@pytest.mark.parametrize(
    "spelling",
    [
        lambda ns: ns.replace("http://", "https://"),
        lambda ns: ns + "/",
        lambda ns: ns[: -len("rai")] + "RAI",
    ],
    ids=["https", "trailing-slash", "capitals"],
)
def test_the_taxonomy_namespace_spelled_another_way_is_still_the_railway_taxonomy(
    spelling: object,
) -> None:
    utf8 = _canonical()
    namespace = rai_namespace()
    assert namespace.encode() in utf8
    varied = utf8.replace(namespace.encode(), spelling(namespace).encode())  # type: ignore[operator]
    assert _fields(_read(varied)) == _fields(_read(utf8))


def _with_fact(data: bytes, name: str, value: str) -> bytes:
    pattern = re.compile(rf"(<rai:{name}\b[^>]*>)[^<]*(</rai:{name}>)".encode())
    assert pattern.search(data), name
    return pattern.sub(lambda m: m[1] + value.encode() + m[2], data, count=1)


@pytest.mark.parametrize(
    ("name", "written", "field"),
    [
        ("TravelDate", "compact", "travel_date"),
        ("DateOfIssue", "compact", "issue_date"),
        ("DepartureTime", "compact", "departure_time"),
        ("Fare", "yuan", "fare"),
        ("TaxRate", "percent-number", "tax_rate"),
    ],
)
def test_facts_written_another_way_read_as_the_canonical_ones(
    name: str, written: str, field: str
) -> None:
    utf8 = _canonical()
    canonical = _read(utf8)
    value = getattr(canonical, field)
    spelled = {
        "compact": lambda: value.strftime("%Y%m%d" if field != "departure_time" else "%H%M"),
        "yuan": lambda: f"{value}元",
        "percent-number": lambda: f"{value * 100:.0f}",
    }[written]()
    varied = _read(_with_fact(utf8, name, spelled))
    assert getattr(varied, field) == value
    assert varied.findings == canonical.findings
