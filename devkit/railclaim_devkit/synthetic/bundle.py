"""12306-style e-mail bundles: a ZIP with `<发票号码>.pdf` and `.ofd` of the same invoices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import DEFAULT_VARIANT, PdfVariant, render_pdf
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.zipfiles import render_zip

Rendition = Literal["pdf", "ofd"]


def bundle_members(
    specs: Sequence[InvoiceSpec],
    renditions: Sequence[Rendition] = ("pdf", "ofd"),
    variant: PdfVariant = DEFAULT_VARIANT,
) -> list[tuple[str, bytes]]:
    """(file name, bytes) per invoice and rendition, invoice by invoice as 12306 lists them."""
    members = []
    for spec in specs:
        for kind in renditions:
            data = render_pdf(spec, variant) if kind == "pdf" else render_ofd(spec)
            members.append((f"{spec.invoice_number}.{kind}", data))
    return members


def render_12306_bundle(
    specs: Sequence[InvoiceSpec],
    renditions: Sequence[Rendition] = ("pdf", "ofd"),
    variant: PdfVariant = DEFAULT_VARIANT,
) -> bytes:
    """The ZIP a 12306 e-mail carries: every invoice in each requested rendition."""
    return render_zip(bundle_members(specs, renditions, variant))
