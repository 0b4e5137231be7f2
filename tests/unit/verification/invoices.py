"""Typed builders for verification tests: a sale invoice and the 查验 answer that confirms it.

Both mirror ../shared/samples (rai_issuer_sale_SYNTHETIC.xml, chayan_tdys_SYNTHETIC.json), kept
here so the tests run without the shared folder; test_samples checks they still agree.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.invoices.parsing import ParsedInvoice, Rendition

SALE_NUMBER = "25119199999000000001"

_SALE = ParsedInvoice(
    invoice_number=SALE_NUMBER,
    business_type="sale",
    issue_date=dt.date(2025, 3, 20),
    train_number="G1",
    departure_station="北京南",
    arrival_station="上海虹桥",
    travel_date=dt.date(2025, 3, 15),
    departure_time=dt.time(9, 0),
    seat_class="二等座",
    carriage="05",
    seat="08A",
    fare=Decimal("553.00"),
    amount_excluding_tax=Decimal("507.34"),
    tax_rate=Decimal("0.09"),
    tax_amount=Decimal("45.66"),
    e_ticket_number="9999964086031590000012025",
    passenger_name="张三",
    passenger_id_masked="1101011990****1234",
    buyer_name="示例科技有限公司",
    buyer_tax_id="91110108MA00000070",
    original_invoice_number=None,
    source="xbrl",
    renditions=(Rendition(kind="xml", filename="sale.xml", sha256="0" * 64, data=b""),),
)

_ANSWER: dict[str, Any] = {
    "fphm": SALE_NUMBER,
    "kprq": "2025-03-20 10:11:12",
    "fppzDm": "51",
    "gmfmc": "示例科技有限公司",
    "gmfnsrsbh": "91110108MA00000070",
    "jshj": "553.00",
    "hjje": "507.34",
    "hjse": "45.66",
    "sflzfpbz": "Y",
    "kjhzfpdydlzfphm": "",
    "tdys": {
        "fphm": SALE_NUMBER,
        "kprq": "2025-03-20 10:11:12",
        "ywlxmc": "售",
        "cfz": "北京南",
        "cfzpy": "Beijingnan",
        "ddz": "上海虹桥",
        "ddzpy": "Shanghaihongqiao",
        "cccc": "G1",
        "rq": "2025-03-15",
        "cfsj1": "09:00",
        "tldzkppzmc": "",
        "kttz": "",
        "xb1": "二等座",
        "cx": "05车",
        "xw": "08A号",
        "zfje": "553.00",
        "ytje": "",
        "yppj": "",
        "ypcfz": "",
        "ypddz": "",
        "dzkph": "9999964086031590000012025",
        "zjhm": "1101011990****1234",
        "xm": "张三",
        "tlkpyhlx": "",
        "yfphm": "",
    },
}


def sale_invoice(**changes: Any) -> ParsedInvoice:
    return dataclasses.replace(_SALE, **changes)


def red_letter_invoice(**changes: Any) -> ParsedInvoice:
    """The 红字 reversal of another sale: negative amounts, naming the blue invoice it voids."""
    red = sale_invoice(
        invoice_number="25119199999000000011",
        fare=Decimal("-553.00"),
        amount_excluding_tax=Decimal("-507.34"),
        tax_amount=Decimal("-45.66"),
        original_invoice_number="25119199999000000010",
    )
    return dataclasses.replace(red, **changes)


def sale_answer(tdys: Mapping[str, Any] | None = None, /, **header: Any) -> dict[str, Any]:
    """A fresh copy of the confirming answer with header keys and `tdys` keys overridden."""
    answer = copy.deepcopy(_ANSWER)
    answer.update(header)
    answer["tdys"].update(tdys or {})
    return answer


def red_letter_answer(tdys: Mapping[str, Any] | None = None, /, **header: Any) -> dict[str, Any]:
    red = sale_answer(
        {"fphm": "25119199999000000011", "zfje": "-553.00"},
        fphm="25119199999000000011",
        jshj="-553.00",
        hjje="-507.34",
        hjse="-45.66",
        sflzfpbz="N",
        kjhzfpdydlzfphm="25119199999000000010",
    )
    red.update(header)
    red["tdys"].update(tdys or {})
    return red
