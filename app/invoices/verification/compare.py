"""Pure comparison of a 查验 answer with a ParsedInvoice: which fields does the platform dispute?

Only fields both sides state are compared (a text-only parse has no tax amount; some providers
omit `tdys` elements). A field is named once even when the header and `tdys` both carry it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from app.invoices.parsing import ParsedInvoice
from app.invoices.verification.answer import Section, answer_sections, unwrap_answer
from app.invoices.verification.normalize import (
    MalformedAnswer,
    amount_key,
    blue_flag,
    business_type_key,
    carriage_key,
    date_key,
    is_blank,
    seat_key,
    station_key,
    text_key,
    time_key,
)

RED_LETTER_FIELD = "is_red_letter"


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One platform key checked against one ParsedInvoice field through a shared key function."""

    field: str
    section: Literal["header", "tdys"]
    key: str
    key_of: Callable[[object], object]


RULES: tuple[FieldRule, ...] = (
    FieldRule("invoice_number", "header", "fphm", text_key),
    FieldRule("issue_date", "header", "kprq", date_key),
    # 价税合计: a railway invoice's fare, an air itinerary's 合计 (see _value_of).
    FieldRule("fare", "header", "jshj", amount_key),
    FieldRule("amount_excluding_tax", "header", "hjje", amount_key),
    FieldRule("tax_amount", "header", "hjse", amount_key),
    FieldRule("buyer_name", "header", "gmfmc", text_key),
    FieldRule("buyer_tax_id", "header", "gmfnsrsbh", text_key),
    # 开具红字发票对应的蓝字发票号码: the blue invoice a red-letter one reverses.
    FieldRule("original_invoice_number", "header", "kjhzfpdydlzfphm", text_key),
    FieldRule("invoice_number", "tdys", "fphm", text_key),
    FieldRule("issue_date", "tdys", "kprq", date_key),
    FieldRule("business_type", "tdys", "ywlxmc", business_type_key),
    FieldRule("departure_station", "tdys", "cfz", station_key),
    FieldRule("arrival_station", "tdys", "ddz", station_key),
    FieldRule("train_number", "tdys", "cccc", text_key),
    FieldRule("travel_date", "tdys", "rq", date_key),
    FieldRule("departure_time", "tdys", "cfsj1", time_key),
    FieldRule("seat_class", "tdys", "xb1", text_key),
    FieldRule("carriage", "tdys", "cx", carriage_key),
    FieldRule("seat", "tdys", "xw", seat_key),
    FieldRule("e_ticket_number", "tdys", "dzkph", text_key),
    FieldRule("passenger_id_masked", "tdys", "zjhm", text_key),
    FieldRule("passenger_name", "tdys", "xm", text_key),
    # 原发票号码: the sale a refund- or change-fee invoice belongs to.
    FieldRule("original_invoice_number", "tdys", "yfphm", text_key),
)


def compare_answer(answer: object, invoice: ParsedInvoice) -> tuple[str, ...]:
    """The disputed ParsedInvoice field names in rule order; MalformedAnswer on a bad shape."""
    header, tdys = answer_sections(unwrap_answer(answer))
    sections: Mapping[str, Section] = {"header": header, "tdys": tdys}
    disputed: list[str] = []
    for rule in RULES:
        # The 特定要素 of an air itinerary are not known (DOMAIN §5): only its header is compared.
        if rule.section == "tdys" and invoice.kind == "air":
            continue
        platform_value = sections[rule.section].get(rule.key)
        if rule.field not in disputed and _disagrees(rule, platform_value, invoice):
            disputed.append(rule.field)
    if _red_letter_disagrees(header.get("sflzfpbz"), invoice):
        disputed.append(RED_LETTER_FIELD)
    return tuple(disputed)


def _disagrees(rule: FieldRule, platform_value: object, invoice: ParsedInvoice) -> bool:
    invoice_value = _value_of(invoice, rule)
    if is_blank(platform_value) or is_blank(invoice_value):
        return False
    try:
        platform_key = rule.key_of(platform_value)
    except MalformedAnswer as exc:
        raise MalformedAnswer(f"{rule.section}.{rule.key}: {exc}") from None
    return bool(platform_key != rule.key_of(invoice_value))


def _value_of(invoice: ParsedInvoice, rule: FieldRule) -> object:
    if rule.key == "jshj":
        return invoice.total  # the fare for railway; 票价 excludes the VAT on an itinerary
    return getattr(invoice, rule.field)


def _red_letter_disagrees(flag: object, invoice: ParsedInvoice) -> bool:
    # A 退差 invoice is negative without being a reversal, and how platforms flag it is not known,
    # so its flag proves nothing either way.
    if is_blank(flag) or invoice.business_type == "difference":
        return False
    try:
        is_blue = blue_flag(flag)
    except MalformedAnswer as exc:
        raise MalformedAnswer(f"header.sflzfpbz: {exc}") from None
    return is_blue == invoice.is_red_letter
