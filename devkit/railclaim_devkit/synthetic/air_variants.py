"""The reported-file variants (`real_variants`) as air itineraries, plus the air XBRL's own shapes.

Every railway variant whose deviation an itinerary can show is here under the same name (fonts,
attachment places and names, drawing orders, full-width text, label spacing, `everything`); the
railway-only face options (station glyph, fare line, empty 退票费 label) are left out. The air
XBRL's element names are unconfirmed, so each naming shape is a variant of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from railclaim_devkit.synthetic.air_render import render_air_ofd, render_air_pdf
from railclaim_devkit.synthetic.air_spec import AirInvoiceSpec
from railclaim_devkit.synthetic.air_xbrl import AirXbrlOptions
from railclaim_devkit.synthetic.face_layout import FaceStyle
from railclaim_devkit.synthetic.real_variants import (
    OFD_FONTS,
    REAL_VARIANTS,
    RealVariant,
    Rendition,
)

_RAILWAY_ONLY = frozenset({"empty-fee-label", "empty-fee-label-own-line", "fare-own-line"})
_EXTRAS = AirXbrlOptions(extra_elements=True)


@dataclass(frozen=True, slots=True)
class AirRealVariant:
    """A reported file deviation (`real`, its railway XBRL options unused) and the air XBRL's."""

    real: RealVariant = field(default_factory=RealVariant)
    xbrl: AirXbrlOptions = field(default_factory=AirXbrlOptions)
    # The paper itinerary's 客票级别 and 免费行李 columns after 时间 (unconfirmed on e-itineraries).
    extra_columns: bool = False


def _from_railway(name: str, real: RealVariant) -> AirRealVariant:
    if name == "xbrl-later-taxonomy":
        later = AirXbrlOptions(taxonomy_date="2025-05-19", empty_elements=False, comment=False)
        return AirRealVariant(real, later)
    if name == "xbrl-extra-elements":
        return AirRealVariant(real, _EXTRAS)
    if name == "everything":
        return AirRealVariant(real, _EXTRAS, extra_columns=True)
    return AirRealVariant(real)


AIR_REAL_VARIANTS: dict[str, AirRealVariant] = {
    **{
        name: _from_railway(name, real)
        for name, real in REAL_VARIANTS.items()
        if name not in _RAILWAY_ONLY
    },
    # The air XBRL's naming shapes (DOMAIN §5: names unconfirmed; match by local name).
    "xbrl-prefixed-names": AirRealVariant(xbrl=AirXbrlOptions(naming="prefixed")),
    "xbrl-prefixed-extras": AirRealVariant(
        xbrl=AirXbrlOptions(naming="prefixed", extra_elements=True, taxonomy_date="2025-06-30")
    ),
    "xbrl-other-prefix": AirRealVariant(xbrl=AirXbrlOptions(prefix="ns0", comment=False)),
    "xbrl-no-e-ticket": AirRealVariant(
        xbrl=AirXbrlOptions(e_ticket_element=False, empty_elements=False)
    ),
    "extra-columns": AirRealVariant(extra_columns=True),
    # Drawing orders of the whole face.
    "shuffled-order": AirRealVariant(RealVariant(face=FaceStyle(order="shuffled"))),
    "scrambled-with-quirks": AirRealVariant(
        RealVariant(
            face=FaceStyle(order="scrambled", amount_before_label=True, id_after_amount=True)
        )
    ),
}
AIR_REAL_VARIANT_NAMES: tuple[str, ...] = tuple(AIR_REAL_VARIANTS)
# Variants that differ from `common` only in how the XBRL is attached or written.
AIR_XBRL_ONLY_VARIANTS: frozenset[str] = frozenset(
    name for name in AIR_REAL_VARIANT_NAMES if name.startswith(("attachment-", "xbrl-"))
)


def render_air_real(
    spec: AirInvoiceSpec,
    variant: str | AirRealVariant,
    rendition: Rendition,
    *,
    with_xbrl: bool = True,
) -> bytes:
    """`spec` as the named variant's PDF or OFD, with or without its XBRL."""
    air = AIR_REAL_VARIANTS[variant] if isinstance(variant, str) else variant
    real = air.real
    if rendition == "pdf":
        variant_pdf = real.pdf_variant(with_xbrl=with_xbrl)
        return render_air_pdf(spec, variant_pdf, xbrl=air.xbrl, extra_columns=air.extra_columns)
    return render_air_ofd(
        spec,
        style=real.face,
        with_xbrl=with_xbrl,
        xbrl=air.xbrl,
        attachment=real.attachment_name,
        declare_attachment=real.ofd_declared,
        decoy_attachment=real.decoy_attachment,
        font_name=OFD_FONTS[real.font_setup],
        extra_columns=air.extra_columns,
    )
