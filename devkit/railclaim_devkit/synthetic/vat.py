"""Non-railway 数电票 (an ordinary VAT e-invoice for a meal) and a plain PDF: files to refuse.

They look like invoices — same page, same SimSun quirk, an embedded XML — but carry another title
and no `rai` data, so they must end as `not-a-travel-invoice`, never as a misread railway ticket.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from xml.sax.saxutils import escape

from railclaim_devkit.synthetic import identifiers
from railclaim_devkit.synthetic.builder import random_company_name
from railclaim_devkit.synthetic.face_layout import BODY_SIZE, Piece, TextBlock, date_text
from railclaim_devkit.synthetic.pdf import DEFAULT_VARIANT, render_face_pdf
from railclaim_devkit.synthetic.pdf_writer import PdfDocument, pdf_literal, ref
from railclaim_devkit.synthetic.spec import money, split_tax

VAT_TITLE = "电子发票（普通发票）"


def render_vat_invoice_xml(rng: random.Random) -> bytes:
    """A 数电票 XML in the shape of the tax bureau's `EInvoice` file: no rai namespace at all."""
    number, issued, buyer, seller, total = _draw_vat(rng)
    excluding, tax = split_tax(total, Decimal("0.06"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<EInvoice><Header><EIid>" + number + "</EIid><InherentLabel><EInvoiceType>"
        "<LabelCode>82</LabelCode><LabelName>普通发票</LabelName></EInvoiceType>"
        "</InherentLabel></Header><EInvoiceData>"
        f"<BuyerInformation><BuyerName>{escape(buyer[0])}</BuyerName>"
        f"<BuyerIdNum>{buyer[1]}</BuyerIdNum></BuyerInformation>"
        f"<SellerInformation><SellerName>{escape(seller[0])}</SellerName>"
        f"<SellerIdNum>{seller[1]}</SellerIdNum></SellerInformation>"
        "<IssuItemInformation><ItemName>*餐饮服务*餐费</ItemName>"
        f"<Amount>{money(excluding)}</Amount><TaxRate>0.06</TaxRate>"
        f"<ComTaxAm>{money(tax)}</ComTaxAm></IssuItemInformation>"
        f"<BasicInformation><TotalTax-includedAmount>{money(total)}</TotalTax-includedAmount>"
        f"<RequestTime>{issued.isoformat()}</RequestTime></BasicInformation>"
        "</EInvoiceData>"
        f"<TaxSupervisionInfo><InvoiceNumber>{number}</InvoiceNumber>"
        f"<IssueTime>{issued.isoformat()}</IssueTime></TaxSupervisionInfo></EInvoice>\n"
    ).encode("utf-8")


def render_vat_invoice_pdf(rng: random.Random) -> bytes:
    """An ordinary 数电票 face with its XML attached, drawn with the same font quirk."""
    state = rng.getstate()
    number, issued, buyer, seller, total = _draw_vat(rng)
    rng.setstate(state)
    xml = render_vat_invoice_xml(rng)
    excluding, tax = split_tax(total, Decimal("0.06"))
    lines = [
        (72.0, 14.0, VAT_TITLE),
        (138.0, 12.0, f"发票号码:{number}"),
        (138.0, 18.0, f"开票日期:{date_text(issued)}"),
        (22.0, 32.0, f"购买方信息 名称:{buyer[0]}"),
        (22.0, 38.0, f"统一社会信用代码/纳税人识别号:{buyer[1]}"),
        (110.0, 32.0, f"销售方信息 名称:{seller[0]}"),
        (110.0, 38.0, f"统一社会信用代码/纳税人识别号:{seller[1]}"),
        (22.0, 52.0, "项目名称 规格型号 单位 数量 单价 金额 税率/征收率 税额"),
        (22.0, 58.0, f"*餐饮服务*餐费 次 1 {money(excluding)} {money(excluding)} 6% {money(tax)}"),
        (22.0, 76.0, f"合计 ￥{money(excluding)} ￥{money(tax)}"),
        (22.0, 84.0, f"价税合计（大写） （小写）￥{money(total)}"),
        (22.0, 120.0, "开票人:王芳"),
    ]
    blocks = [TextBlock("vat", BODY_SIZE, (Piece(x, y, t),)) for x, y, t in lines]
    return render_face_pdf(
        blocks,
        variant=DEFAULT_VARIANT,
        attachment=(f"{number}.xml", xml),
        created_on=issued,
        title=VAT_TITLE,
    )


def render_plain_pdf(text: str = "Meeting notes: nothing to reimburse here.") -> bytes:
    """A one-page PDF in Helvetica with no invoice in it at all."""
    doc = PdfDocument("1.7")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = doc.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    contents = doc.add_stream(b"", b"BT /F1 12 Tf 72 720 Td " + pdf_literal(text) + b" Tj ET")
    doc.put(
        page,
        b"<< /Type /Page /Parent "
        + ref(pages)
        + b" /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
        + ref(font)
        + b" >> >> /Contents "
        + ref(contents)
        + b" >>",
    )
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def _draw_vat(
    rng: random.Random,
) -> tuple[str, dt.date, tuple[str, str], tuple[str, str], Decimal]:
    issued = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
    # 数电票 numbers share the 20-digit shape (channel digit aside); the content tells them apart.
    number = f"{issued.year % 100:02d}{rng.choice(('11', '31', '44'))}2{rng.randrange(10**15):015d}"
    buyer = (random_company_name(rng), identifiers.random_uscc(rng))
    seller = (random_company_name(rng).replace("科技", "餐饮"), identifiers.random_uscc(rng))
    total = Decimal(rng.randint(3000, 200000)) / 100
    return number, issued, buyer, seller, total
