"""Named rendition variants and seeded corpora of air itineraries, and of mixed rail + air ZIPs.

The air sibling of `corpus`: `AIR_VARIANTS` names one deviation each (so a failing property test
names its cause), `generate_air_corpus` streams files round-robin over them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from railclaim_devkit.synthetic.air_builder import random_air_spec
from railclaim_devkit.synthetic.air_render import render_air_ofd, render_air_pdf
from railclaim_devkit.synthetic.air_spec import AirInvoiceSpec
from railclaim_devkit.synthetic.air_xbrl import (
    DEFAULT_AIR_XBRL,
    AirXbrlOptions,
    air_attachment_name,
    render_air_xbrl,
)
from railclaim_devkit.synthetic.builder import random_spec
from railclaim_devkit.synthetic.bundle import AnySpec, render_12306_bundle
from railclaim_devkit.synthetic.face_layout import FaceStyle
from railclaim_devkit.synthetic.pdf import PdfVariant

_PREFIXED = AirXbrlOptions(naming="prefixed")
# Named PDF variants: (PDF variant, air XBRL options).
AIR_PDF_VARIANTS: dict[str, tuple[PdfVariant, AirXbrlOptions]] = {
    "air-pdf": (PdfVariant(), DEFAULT_AIR_XBRL),
    "air-pdf-no-xbrl": (PdfVariant(with_xbrl=False), DEFAULT_AIR_XBRL),
    "air-pdf-ucs2": (PdfVariant(encoding="UniGB-UCS2-H"), DEFAULT_AIR_XBRL),
    "air-pdf-cidtype0": (PdfVariant(cid_font_subtype="CIDFontType0"), DEFAULT_AIR_XBRL),
    "air-pdf-tm": (PdfVariant(positioning="Tm", frame=False), DEFAULT_AIR_XBRL),
    "air-pdf-scrambled": (PdfVariant(face=FaceStyle(order="scrambled")), DEFAULT_AIR_XBRL),
    "air-pdf-shuffled": (PdfVariant(face=FaceStyle(order="shuffled")), DEFAULT_AIR_XBRL),
    "air-pdf-fullwidth": (PdfVariant(face=FaceStyle(fullwidth_colons=True)), DEFAULT_AIR_XBRL),
    "air-pdf-xbrl-prefixed": (PdfVariant(), _PREFIXED),
    "air-pdf-xbrl-extras": (PdfVariant(), AirXbrlOptions(extra_elements=True)),
    "air-pdf-xbrl-minimal": (
        PdfVariant(),
        AirXbrlOptions(
            taxonomy_date="2025-06-30", e_ticket_element=False, empty_elements=False, comment=False
        ),
    ),
    "air-pdf-attachment-0": (
        PdfVariant(attachment_name="0", attachment_subtype=False),
        DEFAULT_AIR_XBRL,
    ),
    # The hardest face: text only, drawn out of order, full-width, converted-from-OFD encoding.
    "air-pdf-text-hard": (
        PdfVariant(
            with_xbrl=False,
            encoding="UniGB-UCS2-H",
            face=FaceStyle(order="scrambled", fullwidth_colons=True, fullwidth_text=True),
        ),
        DEFAULT_AIR_XBRL,
    ),
}

AirRenderer = Callable[[AirInvoiceSpec], tuple[str, bytes]]


def _pdf(variant: PdfVariant, xbrl: AirXbrlOptions) -> AirRenderer:
    return lambda spec: (f"{spec.invoice_number}.pdf", render_air_pdf(spec, variant, xbrl=xbrl))


AIR_RENDERERS: dict[str, AirRenderer] = {
    **{name: _pdf(variant, xbrl) for name, (variant, xbrl) in AIR_PDF_VARIANTS.items()},
    "air-ofd": lambda spec: (f"{spec.invoice_number}.ofd", render_air_ofd(spec)),
    "air-ofd-no-xbrl": lambda spec: (
        f"{spec.invoice_number}.ofd",
        render_air_ofd(spec, with_xbrl=False),
    ),
    "air-ofd-xbrl-prefixed": lambda spec: (
        f"{spec.invoice_number}.ofd",
        render_air_ofd(spec, xbrl=_PREFIXED),
    ),
    # DOMAIN §4: the XBRL named `0`, only present under Attachs/ (not in Attachments.xml).
    "air-ofd-attachment-undeclared": lambda spec: (
        f"{spec.invoice_number}.ofd",
        render_air_ofd(spec, attachment="0", declare_attachment=False),
    ),
    "air-xml": lambda spec: (air_attachment_name(spec), render_air_xbrl(spec)),
    # The PDF and OFD of one itinerary in one e-mail ZIP.
    "air-zip": lambda spec: (f"{spec.invoice_number}.zip", render_12306_bundle([spec])),
}
AIR_VARIANTS: tuple[str, ...] = tuple(AIR_RENDERERS)


class AirCorpusFile(NamedTuple):
    """One generated itinerary file and the spec it was rendered from."""

    spec: AirInvoiceSpec
    filename: str
    data: bytes


class MixedZip(NamedTuple):
    """A ZIP holding railway invoices and air itineraries (PDF and OFD each), in `specs` order."""

    specs: tuple[AnySpec, ...]
    filename: str
    data: bytes


def render_air_variant(spec: AirInvoiceSpec, variant: str) -> tuple[str, bytes]:
    """(file name, bytes) of `spec` in the named variant (see `AIR_VARIANTS`)."""
    _check_variants([variant])
    return AIR_RENDERERS[variant](spec)


def generate_air_corpus(
    seed: int,
    n: int,
    variants: Sequence[str] = ("air-pdf",),
    *,
    red_letter_share: float = 0.05,
    personal_buyer_share: float = 0.0,
    **spec_overrides: Any,
) -> Iterator[AirCorpusFile]:
    """`n` itineraries from `seed`: file i renders spec i in `variants[i % len(variants)]`.

    `spec_overrides` pin AirInvoiceSpec fields for every file; the same arguments always yield
    the same files, one at a time.
    """
    _check_variants(variants)
    rng = random.Random(seed)
    for index in range(n):
        spec = random_air_spec(
            rng,
            red_letter=rng.random() < red_letter_share,
            personal_buyer=rng.random() < personal_buyer_share,
            **spec_overrides,
        )
        filename, data = AIR_RENDERERS[variants[index % len(variants)]](spec)
        yield AirCorpusFile(spec, filename, data)


def generate_mixed_zips(
    seed: int, n: int, *, per_zip: int = 4, **common: Any
) -> Iterator[MixedZip]:
    """`n` ZIPs of `per_zip` invoices each, railway and air shuffled (at least one of each).

    `common` pins fields both specs have (e.g. `buyer_name`, `buyer_tax_id`, `passenger_name`).
    """
    if per_zip < 2:
        raise ValueError("a mixed ZIP holds at least one railway invoice and one itinerary")
    rng = random.Random(seed)
    for index in range(n):
        air_count = rng.randint(1, per_zip - 1)
        specs: list[AnySpec] = [random_air_spec(rng, **common) for _ in range(air_count)]
        specs += [random_spec(rng, **common) for _ in range(per_zip - air_count)]
        rng.shuffle(specs)
        yield MixedZip(tuple(specs), f"mixed-{seed}-{index}.zip", render_12306_bundle(specs))


def _check_variants(variants: Sequence[str]) -> None:
    if not variants:
        raise ValueError("at least one variant is needed")
    unknown = [name for name in variants if name not in AIR_RENDERERS]
    if unknown:
        raise ValueError(f"unknown air variants {unknown}; known: {', '.join(AIR_VARIANTS)}")
