"""Mutations of valid invoice files for fuzzing the parser: byte flips, cuts, splices, insertions
and tampered ZIP members (12306 bundles and OFD packages are ZIPs).

Pure and deterministic under a `random.Random`; the CI fuzz tests draw that from Hypothesis and
`bench/fuzz_parser.py` from a seed, so any failing input can be rebuilt from its seed.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from railclaim_devkit.synthetic.air_builder import air_fee_itinerary_for, random_air_spec
from railclaim_devkit.synthetic.air_render import render_air_ofd, render_air_pdf
from railclaim_devkit.synthetic.air_xbrl import render_air_xbrl
from railclaim_devkit.synthetic.builder import random_spec
from railclaim_devkit.synthetic.bundle import render_12306_bundle
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import PdfVariant, render_pdf
from railclaim_devkit.synthetic.xbrl import render_xbrl
from railclaim_devkit.synthetic.zipfiles import render_zip

# Byte strings a parser gives meaning to: spliced in, they reach deeper than random noise.
TOKENS: tuple[bytes, ...] = (
    b"%PDF-1.7\n",
    b"%%EOF",
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"/Length 99999999",
    b"/Length -1",
    b"/Filter /FlateDecode",
    b"/Type /Page",
    b"/Kids [1 0 R 1 0 R]",
    b"/Encrypt << >>",
    b"1 0 R",
    b"9999999999 0 R",
    b"<<" * 64,
    b"[" * 64,
    b"xref\n0 1\n",
    b"trailer",
    b"startxref\n-5\n",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE r [<!ENTITY e 'x'>]>",
    b"&e;",
    b"<![CDATA[",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"\x00",
    b"\xff\xfe",
    "发票号码".encode(),
    "票价:￥".encode(),
    b"-0.00",
    b"1e308",
)


# What reading an already-mutated ZIP may raise; such an input gets byte flips instead.
_UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes


def seed_files(seed: int = 12306) -> list[Seed]:
    """Valid files of every kind the parser takes, from one invoice family."""
    rng = random.Random(seed)
    spec = random_spec(rng)
    fee = random_spec(rng, business_type="refund")
    return [
        Seed("invoice.pdf", render_pdf(spec)),
        Seed("face-only.pdf", render_pdf(spec, PdfVariant(with_xbrl=False))),
        Seed("refund.pdf", render_pdf(fee)),
        Seed("invoice.ofd", render_ofd(spec)),
        Seed("invoice.xml", render_xbrl(spec)),
        Seed("bundle.zip", render_12306_bundle([spec, fee])),
        Seed("batch.zip", render_zip([(f"{n}.pdf", render_pdf(random_spec(rng))) for n in "ab"])),
    ]


def air_seed_files(seed: int = 12306) -> list[Seed]:
    """Valid air itineraries of every file kind, and a ZIP mixing one with a railway invoice
    (the fuzz test and bench/fuzz_parser.py start from `seed_files()` + these)."""
    rng = random.Random(seed)
    spec = random_air_spec(rng, business_type="sale", segment_count=2)
    fee = air_fee_itinerary_for(spec, rng, "refund")
    return [
        Seed("itinerary.pdf", render_air_pdf(spec)),
        Seed("itinerary-face-only.pdf", render_air_pdf(spec, PdfVariant(with_xbrl=False))),
        Seed("itinerary-refund.pdf", render_air_pdf(fee)),
        Seed("itinerary.ofd", render_air_ofd(spec)),
        Seed("itinerary.xml", render_air_xbrl(spec)),
        Seed("mixed.zip", render_12306_bundle([random_spec(rng), spec])),
    ]


def flip_bytes(data: bytes, rng: random.Random, _seeds: list[Seed]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        position = rng.randrange(len(out))
        out[position] ^= rng.randint(1, 255)
    return bytes(out)


def truncate(data: bytes, rng: random.Random, _seeds: list[Seed]) -> bytes:
    return data[: rng.randrange(len(data))]


def insert_bytes(data: bytes, rng: random.Random, _seeds: list[Seed]) -> bytes:
    position = rng.randrange(len(data) + 1)
    if rng.random() < 0.6:
        chunk = rng.choice(TOKENS) * rng.choice((1, 1, 2, 16))
    else:
        chunk = rng.randbytes(rng.randint(1, 64))
    return data[:position] + chunk + data[position:]


def splice(data: bytes, rng: random.Random, seeds: list[Seed]) -> bytes:
    """A piece of another file (or of this one) pasted over or between this file's bytes."""
    donor = rng.choice(seeds).data
    start = rng.randrange(len(donor))
    piece = donor[start : start + rng.randint(1, 4096)]
    position = rng.randrange(len(data) + 1)
    cut = rng.choice((0, len(piece)))
    return data[:position] + piece + data[position + cut :]


def tamper_zip(data: bytes, rng: random.Random, seeds: list[Seed]) -> bytes:
    """A ZIP rebuilt with one member mutated, renamed, duplicated, dropped or nested."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except _UNREADABLE_ZIP:
        return flip_bytes(data, rng, seeds)
    if not members:
        return data
    index = rng.randrange(len(members))
    name, content = members[index]
    action = rng.choice(("mutate", "rename", "duplicate", "drop", "nest", "store", "bomb"))
    if action == "mutate" and content:
        mutator = rng.choice((flip_bytes, truncate, insert_bytes, splice))
        members[index] = (name, mutator(content, rng, seeds))
    elif action == "rename":
        odd = ("../evil.pdf", "/abs.pdf", "a/../../b.xml", "C:\\x.pdf", "", "a" * 300, "名.ofd")
        members[index] = (rng.choice(odd), content)
    elif action == "duplicate":
        members.append((name, content))
    elif action == "drop":
        del members[index]
    elif action == "nest":
        members.append(("inner.zip", data))
    elif action == "bomb":
        members.append(("zeros.xml", b"\x00" * rng.choice((1 << 16, 1 << 22))))
    return _rezip(members, stored=action == "store")


def _rezip(members: list[tuple[str, bytes]], *, stored: bool) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", method) as archive:
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name or "_", (2025, 1, 1, 0, 0, 0)), content, method)
    return buffer.getvalue()


def with_corrupt_deflate(archive: bytes) -> bytes:
    """The archive with its first member's compressed bytes scrambled (CRC and sizes intact)."""
    info = zipfile.ZipFile(io.BytesIO(archive)).infolist()[0]
    header = info.header_offset
    name_len = int.from_bytes(archive[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(archive[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    # A deflate block header of type 3 is invalid: zlib fails on the first byte.
    return archive[:start] + b"\xff" * 16 + archive[start + 16 :]


Mutator = Callable[[bytes, random.Random, list[Seed]], bytes]
MUTATORS: dict[str, Mutator] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "insert": insert_bytes,
    "splice": splice,
    "zip": tamper_zip,
}


def mutate(seed: Seed, rng: random.Random, seeds: list[Seed], rounds: int = 1) -> bytes:
    """`rounds` mutations of `seed`, each by a mutator `rng` picks."""
    data = seed.data
    for _ in range(rounds):
        data = rng.choice(list(MUTATORS.values()))(data or b"\x00", rng, seeds)
    return data
