"""Render an `InvoiceSpec` as an OFD package: the face as TextObjects and the XBRL as attachment."""

from __future__ import annotations

import datetime as dt
import hashlib
from xml.sax.saxutils import escape, quoteattr

from railclaim_devkit.synthetic.face_layout import (
    DEFAULT_STYLE,
    FaceStyle,
    TextBlock,
    layout_face,
    text_width,
)
from railclaim_devkit.synthetic.pdf_attach import DECOY_NAME, DECOY_XML
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.xbrl import DEFAULT_XBRL, XbrlOptions, attachment_name, render_xbrl
from railclaim_devkit.synthetic.zipfiles import render_zip

OFD_NS = "http://www.ofdspec.org/2016"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_FIRST_TEXT_ID = 10


def render_ofd(
    spec: InvoiceSpec,
    *,
    style: FaceStyle = DEFAULT_STYLE,
    with_xbrl: bool = True,
    xbrl: XbrlOptions = DEFAULT_XBRL,
    face: InvoiceSpec | None = None,
    attachment: str | None = None,
    declare_attachment: bool = True,
    decoy_attachment: bool = False,
    font_name: str = "SimSun",
) -> bytes:
    """The invoice as an OFD zip (OFD.xml, Document.xml, page content, attachments).

    `face` draws another spec's values as page text (the XBRL keeps `spec`'s): a tampered file.
    `attachment` names the XBRL file (DOMAIN §4: not always `rai_issuer_*.xml`);
    `declare_attachment=False` leaves it out of `Attachments.xml`, a file under `Attachs/` only;
    `decoy_attachment` declares an unrelated XML first.
    """
    name = attachment or attachment_name(spec)
    return render_ofd_package(
        spec.invoice_number,
        spec.issue_date,
        layout_face(face or spec, style),
        attachment=(name, render_xbrl(spec, xbrl)) if with_xbrl else None,
        declare_attachment=declare_attachment,
        decoy_attachment=decoy_attachment,
        font_name=font_name,
    )


def render_ofd_package(
    number: str,
    issue_date: dt.date,
    blocks: list[TextBlock],
    *,
    attachment: tuple[str, bytes] | None = None,
    declare_attachment: bool = True,
    decoy_attachment: bool = False,
    font_name: str = "SimSun",
) -> bytes:
    """An OFD zip drawing `blocks` on one page, with `attachment` (name, XBRL) under `Attachs/`."""
    members = [
        ("OFD.xml", _ofd_xml(number, issue_date)),
        ("Doc_0/Document.xml", _document_xml(attachment is not None)),
        ("Doc_0/PublicRes.xml", _public_res_xml(font_name)),
        ("Doc_0/Pages/Page_0/Content.xml", content_xml(blocks)),
    ]
    if attachment is not None:
        xml_name, xml = attachment
        declared = [DECOY_NAME] if decoy_attachment else []
        declared += [xml_name] if declare_attachment else []
        members.append(("Doc_0/Attachs/Attachments.xml", _attachments_xml(declared)))
        if decoy_attachment:
            members.append((f"Doc_0/Attachs/{DECOY_NAME}", DECOY_XML))
        members.append((f"Doc_0/Attachs/{xml_name}", xml))
    stamp = dt.datetime.combine(issue_date, dt.time(8, 0))
    return render_zip(members, stamp=stamp)


def content_xml(blocks: list[TextBlock]) -> bytes:
    """One TextObject per piece, positioned by its Boundary (mm), text in a TextCode."""
    objects = []
    pieces = [(block.size, block.red, piece) for block in blocks for piece in block.pieces]
    for number, (size, red, piece) in enumerate(pieces, start=_FIRST_TEXT_ID):
        width = text_width(piece.text, size) + 1
        # The boundary's top sits one font size above the baseline; TextCode Y is the baseline.
        boundary = f"{piece.x:g} {piece.y - size:g} {width:g} {size * 1.5:g}"
        colour = '<ofd:FillColor Value="255 0 0"/>' if red else ""
        objects.append(
            f'<ofd:TextObject ID="{number}" Boundary="{boundary}" Font="1" Size="{size:g}">'
            f'{colour}<ofd:TextCode X="0" Y="{size:g}">{escape(piece.text)}</ofd:TextCode>'
            "</ofd:TextObject>"
        )
    body = (
        f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">'
        + "".join(objects)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    return (_XML_HEAD + body).encode("utf-8")


def _ofd_xml(number: str, issue_date: dt.date) -> bytes:
    doc_id = hashlib.md5(number.encode(), usedforsecurity=False).hexdigest()
    body = (
        f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
        f"<ofd:DocID>{doc_id}</ofd:DocID><ofd:Title>{number}</ofd:Title>"
        f"<ofd:CreationDate>{issue_date.isoformat()}</ofd:CreationDate>"
        "<ofd:CustomDatas>"
        f'<ofd:CustomData Name="发票号码">{number}</ofd:CustomData>'
        f'<ofd:CustomData Name="开票日期">{issue_date:%Y年%m月%d日}</ofd:CustomData>'
        "</ofd:CustomDatas>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    return (_XML_HEAD + body).encode("utf-8")


def _document_xml(with_attachments: bool) -> bytes:
    attachments = "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>"
    body = (
        f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>200</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        + (attachments if with_attachments else "")
        + "</ofd:Document>"
    )
    return (_XML_HEAD + body).encode("utf-8")


def _public_res_xml(font_name: str) -> bytes:
    body = (
        f'<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="1" FontName={quoteattr(font_name)} FamilyName={quoteattr(font_name)}/>'
        "</ofd:Fonts></ofd:Res>"
    )
    return (_XML_HEAD + body).encode("utf-8")


def _attachments_xml(names: list[str]) -> bytes:
    entries = "".join(
        f'<ofd:Attachment ID="{90 + index}" Name={quoteattr(name.removesuffix(".xml"))}'
        ' Format="xml" Visible="false">'
        f"<ofd:FileLoc>{escape(name)}</ofd:FileLoc></ofd:Attachment>"
        for index, name in enumerate(names)
    )
    body = f'<ofd:Attachments xmlns:ofd="{OFD_NS}">{entries}</ofd:Attachments>'
    return (_XML_HEAD + body).encode("utf-8")
