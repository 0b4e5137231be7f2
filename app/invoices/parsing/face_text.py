"""What every travel e-invoice face prints alike: its number, issue date and buyer, as patterns.

The text is NFKC (`：` became `:`); a label's colon or spacing may be missing, but a value stays on
its line. Each kind's field rules build on these.
"""

from __future__ import annotations

import datetime as dt
import re

from app.invoices.parsing.fields import clean_text, parse_date

HAN = r"\u3400-\u9fff"
COLON = r"[ \t]*:?[ \t]*"
DATE = r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"

# The reversed invoice's number: 原发票号码 on older faces, and the 数电 remark a red-letter face
# prints (被红冲蓝字数电发票号码:…); its label also ends in 发票号码, so the invoice's own label
# excludes what precedes those.
ORIGINAL_LABEL = r"(?:原|(?:被红冲|对应)?蓝字(?:数电)?)发票号码"
INVOICE_NUMBER = re.compile(rf"(?<!原)(?<!蓝字)(?<!数电)发票号码{COLON}(\d{{20}})(?!\d)")
BARE_INVOICE_NUMBER = re.compile(r"(?<![\d*])(\d{20})(?![\d*])")
ORIGINAL_NUMBER = re.compile(rf"{ORIGINAL_LABEL}{COLON}(\d{{20}})")
ISSUE_DATE = re.compile(rf"开票日期{COLON}({DATE[1:-1]}|\d{{4}}-\d{{1,2}}-\d{{1,2}})")
ANY_DATE = re.compile(DATE)
BUYER_LABELLED = re.compile(
    rf"购买方名称{COLON}([^\n]*?)\s*(?=统一社会信用代码|纳税人识别号|$)", re.MULTILINE
)
# Searched only within the line before its label (see `_glued_name`): unanchored, `[^\s:]+`
# retried at every start of a long run of text took time growing with its square.
_GLUED_NAME = re.compile(r"([^\s:]+)\s*$")
_USCC_LABEL = "统一社会信用代码"
_NAME_REACH = 200
# 数电票 print `统一社会信用代码/纳税人识别号:`; either label alone is read too.
BUYER_TAX_ID = re.compile(
    rf"(?:统一社会信用代码(?:\s*/\s*纳税人识别号)?|纳税人识别号){COLON}([0-9A-Z]{{15,20}})?"
)


def first(pattern: re.Pattern[str], text: str, group: int = 1) -> str | None:
    match = pattern.search(text)
    return clean_text(match[group]) if match else None


def invoice_number(text: str) -> str | None:
    labelled = first(INVOICE_NUMBER, text)
    if labelled is not None:
        return labelled
    # A label drawn far from its digits can land on another line; the 20 digits are unmistakable.
    original = first(ORIGINAL_NUMBER, text)
    bare = [m[1] for m in BARE_INVOICE_NUMBER.finditer(text) if m[1] != original]
    return bare[0] if bare else None


def issue_date(text: str) -> tuple[dt.date | None, int]:
    """The labelled issue date, and where its value starts in `text` (-1 when absent)."""
    match = ISSUE_DATE.search(text)
    return (parse_date(match[1]), match.start(1)) if match else (None, -1)


def buyer(text: str) -> tuple[str | None, str | None]:
    """(buyer name, USCC); a personal title prints the name with no label, run into the USCC's."""
    tax_id = first(BUYER_TAX_ID, text)
    labelled = BUYER_LABELLED.search(text)
    if labelled is not None:
        return clean_text(labelled[1]), tax_id
    return _glued_name(text), tax_id


def _glued_name(text: str) -> str | None:
    """The name a personal title runs into the USCC label, on the label's own line."""
    at = text.find(_USCC_LABEL)
    if at < 0:
        return None
    start = max(text.rfind("\n", 0, at) + 1, at - _NAME_REACH)
    return first(_GLUED_NAME, text[start:at])
