"""Named rendition variants and seeded corpora of invoice files for benchmarks, demos and tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from railclaim_devkit.synthetic.builder import random_spec
from railclaim_devkit.synthetic.bundle import render_12306_bundle
from railclaim_devkit.synthetic.face_layout import FaceStyle
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import PdfVariant, render_pdf
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.xbrl import XbrlOptions, render_xbrl

# Named PDF variants: one real-world deviation each, so a failure names its cause.
PDF_VARIANTS: dict[str, PdfVariant] = {
    "pdf": PdfVariant(),
    "pdf-no-xbrl": PdfVariant(with_xbrl=False),
    "pdf-ucs2": PdfVariant(encoding="UniGB-UCS2-H"),
    "pdf-cidtype0": PdfVariant(cid_font_subtype="CIDFontType0"),
    "pdf-tm": PdfVariant(positioning="Tm", frame=False),
    "pdf-scrambled": PdfVariant(face=FaceStyle(order="scrambled")),
    "pdf-shuffled": PdfVariant(face=FaceStyle(order="shuffled")),
    "pdf-fullwidth": PdfVariant(face=FaceStyle(fullwidth_colons=True)),
    "pdf-fare-own-line": PdfVariant(face=FaceStyle(fare_own_line=True)),
    "pdf-separate-glyph": PdfVariant(face=FaceStyle(station_glyph="separate")),
    "pdf-xbrl-minimal": PdfVariant(
        xbrl=XbrlOptions(
            taxonomy_date="2025-01-15", e_ticket_element=False, empty_elements=False, comment=False
        )
    ),
    # The hardest face: text only, drawn out of order, full-width, converted-from-OFD encoding.
    "pdf-text-hard": PdfVariant(
        with_xbrl=False,
        encoding="UniGB-UCS2-H",
        face=FaceStyle(order="scrambled", fullwidth_colons=True, station_glyph="separate"),
    ),
}

Renderer = Callable[[InvoiceSpec], tuple[str, bytes]]


def _pdf(variant: PdfVariant) -> Renderer:
    return lambda spec: (f"{spec.invoice_number}.pdf", render_pdf(spec, variant))


RENDERERS: dict[str, Renderer] = {
    **{name: _pdf(variant) for name, variant in PDF_VARIANTS.items()},
    "ofd": lambda spec: (f"{spec.invoice_number}.ofd", render_ofd(spec)),
    "ofd-no-xbrl": lambda spec: (f"{spec.invoice_number}.ofd", render_ofd(spec, with_xbrl=False)),
    "xml": lambda spec: (f"rai_issuer_{spec.invoice_number}.xml", render_xbrl(spec)),
    # The PDF and OFD of one invoice in one 12306 e-mail ZIP.
    "zip": lambda spec: (f"{spec.invoice_number}.zip", render_12306_bundle([spec])),
}
VARIANT_NAMES: tuple[str, ...] = tuple(RENDERERS)


class CorpusFile(NamedTuple):
    """One generated file and the spec it was rendered from."""

    spec: InvoiceSpec
    filename: str
    data: bytes


def render_variant(spec: InvoiceSpec, variant: str) -> tuple[str, bytes]:
    """(file name, bytes) of `spec` in the named variant (see `VARIANT_NAMES`)."""
    _check_variants([variant])
    return RENDERERS[variant](spec)


def _check_variants(variants: Sequence[str]) -> None:
    if not variants:
        raise ValueError("at least one variant is needed")
    unknown = [name for name in variants if name not in RENDERERS]
    if unknown:
        raise ValueError(f"unknown variants {unknown}; known: {', '.join(VARIANT_NAMES)}")


def generate_corpus(
    seed: int,
    n: int,
    variants: Sequence[str] = ("pdf",),
    *,
    red_letter_share: float = 0.05,
    personal_buyer_share: float = 0.0,
    **spec_overrides: Any,
) -> Iterator[CorpusFile]:
    """`n` files from `seed`: file i renders spec i in `variants[i % len(variants)]`.

    `spec_overrides` pin InvoiceSpec fields for every file (e.g. the demo company as buyer).
    The same arguments always yield the same files, one at a time (memory stays flat).
    """
    _check_variants(variants)
    rng = random.Random(seed)
    for index in range(n):
        spec = random_spec(
            rng,
            red_letter=rng.random() < red_letter_share,
            personal_buyer=rng.random() < personal_buyer_share,
            **spec_overrides,
        )
        filename, data = RENDERERS[variants[index % len(variants)]](spec)
        yield CorpusFile(spec, filename, data)
