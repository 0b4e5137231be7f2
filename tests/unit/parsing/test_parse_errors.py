"""Every refusal is a typed `ParseError` with its code, reached fast and in bounded memory."""

from __future__ import annotations

import io
import logging
import random
import time
import tracemalloc
import zipfile
from collections.abc import Iterator

import pytest

from app.invoices.parsing import (
    EncryptedFile,
    NotTravelInvoice,
    ParseError,
    ParseLimits,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
    parse_file,
)
from railclaim_devkit.synthetic import random_spec, render_ofd, render_pdf, render_xbrl
from railclaim_devkit.synthetic.hostile import HostileFile, hostile_files
from railclaim_devkit.synthetic.zipfiles import render_zip

# Generous bounds: the point is "seconds, not minutes; hundreds of MB, not gigabytes".
TIME_BOUND_S = 5.0
MEMORY_BOUND_BYTES = 256 * 1024 * 1024
HOSTILE = hostile_files()


@pytest.fixture(autouse=True)
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs a warning for every oddity of a hostile file; the assertions say what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    yield
    logging.getLogger("pypdf").setLevel(logging.NOTSET)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_file_is_refused_with_its_code_in_bounded_time_and_memory(
    hostile: HostileFile,
) -> None:
    data = hostile.data
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ParseError) as refused:
            parse_file(data, hostile.name)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == hostile.expected_code, refused.value.message
    assert elapsed < TIME_BOUND_S
    assert peak < MEMORY_BOUND_BYTES
    assert refused.value.message


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UnreadableFile, "unreadable-file"),
        (EncryptedFile, "encrypted-file"),
        (NotTravelInvoice, "not-a-travel-invoice"),
        (UnsupportedFormat, "unsupported-format"),
        (TooLarge, "too-large"),
    ],
)
def test_each_refusal_carries_its_problem_code(error: type[ParseError], code: str) -> None:
    refusal = error("why", member="a.pdf")
    assert (refusal.code, refusal.message, refusal.member, str(refusal)) == (
        code,
        "why",
        "a.pdf",
        "why",
    )


def _spec_files() -> tuple[bytes, bytes]:
    spec = random_spec(random.Random(5))
    return render_pdf(spec), render_ofd(spec)


def test_a_bad_member_sinks_the_whole_zip_and_is_named() -> None:
    pdf, _ = _spec_files()
    bundle = render_zip([("good.pdf", pdf), ("bad.pdf", pdf[: len(pdf) // 3])])
    with pytest.raises(UnreadableFile) as refused:
        parse_file(bundle, "mail.zip")
    assert refused.value.member == "bad.pdf"


def test_a_member_of_no_known_kind_is_unsupported() -> None:
    pdf, _ = _spec_files()
    with pytest.raises(UnsupportedFormat) as refused:
        parse_file(render_zip([("a.pdf", pdf), ("readme.txt", b"hello")]))
    assert refused.value.member == "readme.txt"


def test_archive_metadata_and_folders_are_skipped() -> None:
    pdf, ofd = _spec_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoices/", b"")
        archive.writestr("__MACOSX/._a.pdf", b"\x00\x05\x16\x07")
        archive.writestr("invoices/a..b.pdf", pdf)  # `..` inside a name is no path escape
        archive.writestr("invoices/a.ofd", ofd)
    [invoice] = parse_file(buffer.getvalue())
    assert [r.filename for r in invoice.renditions] == ["invoices/a..b.pdf", "invoices/a.ofd"]


@pytest.mark.parametrize(
    "name", ["../evil.pdf", "/abs.pdf", "C:\\evil.pdf", "a/../../evil.pdf", "..\\evil.pdf"]
)
def test_unsafe_member_names_refuse_the_whole_zip(name: str) -> None:
    pdf, _ = _spec_files()
    with pytest.raises(UnreadableFile):
        parse_file(render_zip([("fine.pdf", pdf), (name, pdf)]))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (render_zip([]), UnreadableFile),
        (b"PK\x03\x04" + b"\x00" * 100, UnreadableFile),
        (b"<?xml version='1.0'?><root><child>", UnreadableFile),
        (
            b"<?xml version='1.0'?><report xmlns='urn:other'><Fare>1</Fare></report>",
            NotTravelInvoice,
        ),
        (b"\xef\xbb\xbf  <not-xml", UnreadableFile),
        (b"%PDF-1.7\n%%EOF", UnreadableFile),
        (
            render_zip([("OFD.xml", b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")]),
            UnreadableFile,
        ),
    ],
    ids=[
        "empty-zip",
        "corrupt-zip",
        "broken-xml",
        "foreign-xml",
        "bom-junk",
        "pdf-stub",
        "ofd-no-doc",
    ],
)
def test_damaged_or_foreign_inputs(data: bytes, error: type[ParseError]) -> None:
    with pytest.raises(error):
        parse_file(data)


def test_rai_xml_without_an_invoice_number_is_unreadable() -> None:
    xml = render_xbrl(random_spec(random.Random(3))).replace(b"ETicketNumber", b"Renamed")
    with pytest.raises(UnreadableFile, match="invoice number"):
        parse_file(xml)


def test_limits_are_configurable() -> None:
    pdf, ofd = _spec_files()
    with pytest.raises(TooLarge):
        parse_file(pdf, limits=ParseLimits(max_bytes=len(pdf) - 1))
    with pytest.raises(TooLarge):
        parse_file(
            render_zip([("a.pdf", pdf), ("a.ofd", ofd)]), limits=ParseLimits(max_zip_members=1)
        )
    with pytest.raises(TooLarge):
        parse_file(render_zip([("a.pdf", pdf)]), limits=ParseLimits(max_zip_total_bytes=100))
    with pytest.raises(TooLarge):
        parse_file(pdf, limits=ParseLimits(max_stream_bytes=64))
    with pytest.raises(TooLarge):
        parse_file(
            render_xbrl(random_spec(random.Random(1))), limits=ParseLimits(max_stream_bytes=99)
        )
    with pytest.raises(TooLarge):
        parse_file(ofd, limits=ParseLimits(max_stream_bytes=99))
    padded = pdf + b" " * 8000  # a member bigger than the limit in a zip smaller than it
    with pytest.raises(TooLarge) as refused:
        parse_file(render_zip([("a.pdf", padded)]), limits=ParseLimits(max_bytes=len(pdf) + 4000))
    assert refused.value.member == "a.pdf"


def test_time_budget_refuses_slow_work() -> None:
    pdf, _ = _spec_files()
    with pytest.raises(UnreadableFile, match="longer than"):
        parse_file(pdf, limits=ParseLimits(time_budget_seconds=-1.0))


# The bombs of the attack (issue 15): each must cost about the limits, never its expansion.
BOMBS = {
    "lying_header.zip": ("too-large", "inflates past its declared 4096 bytes"),
    "lying_part.ofd": ("too-large", "inflates past its declared 4096 bytes"),
    "zip_bomb.zip": ("too-large", "larger than"),
    "deflate_bomb.pdf": ("too-large", "expands beyond the safety limits"),
    "attachment_bomb.pdf": ("too-large", "expands beyond the safety limits"),
    "billion_laughs.xml": ("unreadable-file", "forbidden construct"),
    "billion_laughs.pdf": ("unreadable-file", "forbidden construct"),
    "laughs.ofd": ("unreadable-file", "forbidden construct"),
}
# pypdf holds a capped stream and its copy: two stream limits, plus room for the parser itself.
BOMB_MEMORY_BOUND_BYTES = 2 * ParseLimits().max_stream_bytes + 8 * 1024 * 1024
BOMB_TIME_BOUND_S = 2.0


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_fail_fast_with_a_clear_refusal_in_memory_bounded_by_the_limits(name: str) -> None:
    [hostile] = [h for h in HOSTILE if h.name == name]
    data = hostile.data
    code, words = BOMBS[name]
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ParseError) as refused:
            parse_file(data, name)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (refused.value.code, words in refused.value.message) == (code, True), refused.value
    assert peak < BOMB_MEMORY_BOUND_BYTES
    assert elapsed < BOMB_TIME_BOUND_S


def test_a_reader_failing_unforeseen_is_an_unreadable_file_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from app.invoices.parsing import entry

    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("a gap in a reader")

    monkeypatch.setattr(entry, "read_xml_invoice", broken)
    spec = random_spec(random.Random(3), business_type="sale")
    with caplog.at_level(logging.ERROR), pytest.raises(UnreadableFile, match="XML file cannot"):
        parse_file(render_xbrl(spec), "invoice.xml")
    assert "unforeseen failure reading a xml file" in caplog.text
    # Inside a bundle it is the member's refusal, named, like any other.
    bundle = render_zip([("a.xml", render_xbrl(spec))])
    with pytest.raises(UnreadableFile):
        parse_file(bundle, "bundle.zip")
