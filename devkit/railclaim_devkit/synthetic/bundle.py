"""E-mail bundles: a ZIP with `<发票号码>.pdf` and `.ofd` of the same invoices, as 12306 sends
them; railway invoices and air itineraries may share one (a travel agent's or a user's ZIP)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from railclaim_devkit.synthetic.air_render import render_air_ofd, render_air_pdf
from railclaim_devkit.synthetic.air_spec import AirInvoiceSpec
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import DEFAULT_VARIANT, PdfVariant, render_pdf
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.zipfiles import render_zip

Rendition = Literal["pdf", "ofd"]
AnySpec = InvoiceSpec | AirInvoiceSpec


def bundle_members(
    specs: Sequence[AnySpec],
    renditions: Sequence[Rendition] = ("pdf", "ofd"),
    variant: PdfVariant = DEFAULT_VARIANT,
) -> list[tuple[str, bytes]]:
    """(file name, bytes) per invoice and rendition, invoice by invoice as 12306 lists them."""
    members = []
    for spec in specs:
        for kind in renditions:
            members.append((f"{spec.invoice_number}.{kind}", render_rendition(spec, kind, variant)))
    return members


def render_rendition(
    spec: AnySpec, rendition: Rendition, variant: PdfVariant = DEFAULT_VARIANT
) -> bytes:
    """`spec`'s PDF (in `variant`) or OFD, railway invoice or air itinerary alike."""
    if isinstance(spec, AirInvoiceSpec):
        return render_air_pdf(spec, variant) if rendition == "pdf" else render_air_ofd(spec)
    return render_pdf(spec, variant) if rendition == "pdf" else render_ofd(spec)


def render_12306_bundle(
    specs: Sequence[AnySpec],
    renditions: Sequence[Rendition] = ("pdf", "ofd"),
    variant: PdfVariant = DEFAULT_VARIANT,
) -> bytes:
    """The ZIP an e-mail carries: every invoice in each requested rendition, in order."""
    return render_zip(bundle_members(specs, renditions, variant))
