"""The pure comparison of a 查验 answer with a parsed invoice, table by table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.invoices.verification import MalformedAnswer, compare_answer
from tests.unit.verification.invoices import (
    red_letter_answer,
    red_letter_invoice,
    sale_answer,
    sale_invoice,
)

OTHER_NUMBER = "25119199999000000009"


def test_a_confirming_answer_disputes_nothing():
    assert compare_answer(sale_answer(), sale_invoice()) == ()


# (section, platform key, disagreeing value, the ParsedInvoice field it disputes)
FIELD_MISMATCHES = [
    ("header", "fphm", OTHER_NUMBER, "invoice_number"),
    ("header", "kprq", "2025-03-21 10:11:12", "issue_date"),
    ("header", "jshj", "554.00", "fare"),
    ("header", "hjje", "508.34", "amount_excluding_tax"),
    ("header", "hjse", "44.66", "tax_amount"),
    ("header", "gmfmc", "另一家有限公司", "buyer_name"),
    ("header", "gmfnsrsbh", "91110108MA00000089", "buyer_tax_id"),
    ("tdys", "fphm", OTHER_NUMBER, "invoice_number"),
    ("tdys", "kprq", "2025-03-19", "issue_date"),
    ("tdys", "ywlxmc", "改签", "business_type"),
    ("tdys", "cfz", "天津南", "departure_station"),
    ("tdys", "ddz", "南京南", "arrival_station"),
    ("tdys", "cccc", "G3", "train_number"),
    ("tdys", "rq", "2025-03-16", "travel_date"),
    ("tdys", "cfsj1", "09:05", "departure_time"),
    ("tdys", "xb1", "一等座", "seat_class"),
    ("tdys", "cx", "06车", "carriage"),
    ("tdys", "xw", "08B号", "seat"),
    ("tdys", "dzkph", "9999964086031590000099999", "e_ticket_number"),
    ("tdys", "zjhm", "1101011990****9999", "passenger_id_masked"),
    ("tdys", "xm", "李四", "passenger_name"),
]


@pytest.mark.parametrize(("section", "key", "value", "field"), FIELD_MISMATCHES)
def test_each_disagreeing_field_is_named(section: str, key: str, value: str, field: str):
    answer = sale_answer({key: value}) if section == "tdys" else sale_answer(**{key: value})
    assert compare_answer(answer, sale_invoice()) == (field,)


def test_a_field_disputed_in_header_and_tdys_is_named_once():
    answer = sale_answer({"fphm": OTHER_NUMBER, "xm": "李四"}, fphm=OTHER_NUMBER)
    assert compare_answer(answer, sale_invoice()) == ("invoice_number", "passenger_name")


# Harmless variation between a platform and the parser: (section, key, value).
TOLERATED = [
    ("header", "jshj", "553"),
    ("header", "jshj", "553.0"),
    ("header", "jshj", 553),
    ("header", "jshj", 553.0),
    ("header", "jshj", "￥553.00"),
    ("header", "hjje", " 507.340 "),
    ("header", "kprq", "20250320"),
    ("header", "kprq", "2025-03-20"),
    ("header", "kprq", "2025年03月20日"),
    ("header", "gmfmc", "示例科技有限公司　"),
    ("header", "gmfnsrsbh", "91110108ma00000070"),
    ("header", "fppzDm", "83"),
    ("header", "FPPZDM", "51"),
    ("tdys", "cfz", "北京南站"),
    ("tdys", "ddz", "上海虹桥 站"),
    ("tdys", "cccc", "Ｇ１"),
    ("tdys", "cccc", "g1"),
    ("tdys", "rq", "20250315"),
    ("tdys", "rq", "2025/3/15"),
    ("tdys", "cfsj1", "09:00:00"),
    ("tdys", "cfsj1", "0900"),
    ("tdys", "cfsj1", "９:００"),
    ("tdys", "cx", "5"),
    ("tdys", "cx", "05"),
    ("tdys", "xw", "8A号"),
    ("tdys", "xw", "08a"),
    ("tdys", "zjhm", "1101011990＊＊＊＊1234"),
    ("tdys", "ywlxmc", "售票"),
    ("tdys", "zfje", "anything: not compared"),
]


@pytest.mark.parametrize(("section", "key", "value"), TOLERATED)
def test_harmless_variation_is_not_a_mismatch(section: str, key: str, value: Any):
    answer = sale_answer({key: value}) if section == "tdys" else sale_answer(**{key: value})
    assert compare_answer(answer, sale_invoice()) == ()


@pytest.mark.parametrize("type_code", ["51", "83", "", None])
def test_any_type_code_is_accepted(type_code: str | None):
    assert compare_answer(sale_answer(fppzDm=type_code), sale_invoice()) == ()


def test_without_tdys_only_the_header_is_compared():
    answer = sale_answer()
    del answer["tdys"]
    assert compare_answer(answer, sale_invoice(train_number="G9999")) == ()
    assert compare_answer(answer, sale_invoice(fare=Decimal("1.00"))) == ("fare",)


@pytest.mark.parametrize("blank", ["", "  ", None])
def test_blank_platform_elements_are_not_compared(blank: str | None):
    answer = sale_answer({"cccc": blank, "xm": blank, "rq": blank}, hjse=blank)
    assert compare_answer(answer, sale_invoice()) == ()


def test_fields_the_parser_did_not_read_are_not_compared():
    text_only = sale_invoice(
        source="text",
        amount_excluding_tax=None,
        tax_amount=None,
        seat=None,
        e_ticket_number=None,
    )
    assert compare_answer(sale_answer(hjje="1.00", hjse="2.00"), text_only) == ()


def test_a_one_row_tdys_list_is_read_as_the_object():
    answer = sale_answer({"xm": "李四"})
    answer["tdys"] = [answer["tdys"]]
    assert compare_answer(answer, sale_invoice()) == ("passenger_name",)


def test_a_wrapped_answer_is_unwrapped():
    answer = {"code": "0000", "data": sale_answer({"cccc": "G3"})}
    assert compare_answer(answer, sale_invoice()) == ("train_number",)


# (invoice, answer, disputed fields): the blue/red flag against the fare's sign.
RED_BLUE = [
    pytest.param(sale_invoice(), sale_answer(), (), id="blue-Y"),
    pytest.param(sale_invoice(), sale_answer(sflzfpbz="N"), ("is_red_letter",), id="blue-N"),
    pytest.param(sale_invoice(), sale_answer(sflzfpbz="1"), (), id="blue-1"),
    pytest.param(sale_invoice(), sale_answer(sflzfpbz=False), ("is_red_letter",), id="blue-false"),
    pytest.param(red_letter_invoice(), red_letter_answer(), (), id="red-N"),
    pytest.param(red_letter_invoice(), red_letter_answer(sflzfpbz="0"), (), id="red-0"),
    pytest.param(
        red_letter_invoice(), red_letter_answer(sflzfpbz="Y"), ("is_red_letter",), id="red-Y"
    ),
    pytest.param(
        red_letter_invoice(),
        red_letter_answer(jshj="553.00", sflzfpbz="Y"),
        ("fare", "is_red_letter"),
        id="red-answered-as-blue",
    ),
    pytest.param(sale_invoice(), sale_answer(sflzfpbz=""), (), id="blue-no-flag"),
]


@pytest.mark.parametrize(("invoice", "answer", "disputed"), RED_BLUE)
def test_blue_red_flag_against_the_fare_sign(invoice: Any, answer: Any, disputed: tuple[str, ...]):
    assert compare_answer(answer, invoice) == disputed


@pytest.mark.parametrize("flag", ["Y", "N"])
def test_a_fare_difference_invoice_is_negative_without_being_red(flag: str):
    difference = sale_invoice(
        business_type="difference",
        fare=Decimal("-20.00"),
        amount_excluding_tax=None,
        tax_amount=None,
    )
    answer = sale_answer({"ywlxmc": "退差"}, jshj="-20.00", sflzfpbz=flag)
    assert compare_answer(answer, difference) == ()


def test_reversed_blue_number_is_checked_against_the_original_invoice():
    answer = red_letter_answer(kjhzfpdydlzfphm=OTHER_NUMBER)
    assert compare_answer(answer, red_letter_invoice()) == ("original_invoice_number",)


def test_original_sale_of_a_fee_invoice_is_checked():
    refund = sale_invoice(business_type="refund", original_invoice_number="25119199999000000003")
    assert compare_answer(sale_answer({"ywlxmc": "退票费", "yfphm": ""}), refund) == ()
    answer = sale_answer({"ywlxmc": "退", "yfphm": OTHER_NUMBER})
    assert compare_answer(answer, refund) == ("original_invoice_number",)


MALFORMED = [
    pytest.param(["not", "an", "object"], "not a JSON object", id="list"),
    pytest.param({"code": "1001", "msg": "查无此票"}, "fphm", id="no-invoice-number"),
    pytest.param(sale_answer(jshj="five hundred"), "header.jshj", id="amount"),
    pytest.param(sale_answer(jshj="NaN"), "header.jshj", id="nan"),
    pytest.param(sale_answer({"rq": "someday"}), "tdys.rq", id="date"),
    pytest.param(sale_answer({"rq": "2025-02-30"}), "tdys.rq", id="impossible-date"),
    pytest.param(sale_answer({"cfsj1": "25:00"}), "tdys.cfsj1", id="time"),
    pytest.param(sale_answer({"ywlxmc": "租车"}), "tdys.ywlxmc", id="business-type"),
    pytest.param(sale_answer(sflzfpbz="maybe"), "sflzfpbz", id="flag"),
    pytest.param(sale_answer({"xm": {"nested": 1}}), "tdys.xm", id="object-value"),
    pytest.param(sale_answer(gmfmc=True), "header.gmfmc", id="bool-value"),
    pytest.param({**sale_answer(), "tdys": "G1"}, "tdys is not an object", id="tdys-string"),
]


@pytest.mark.parametrize(("answer", "where"), MALFORMED)
def test_an_answer_of_the_wrong_shape_is_malformed(answer: Any, where: str):
    with pytest.raises(MalformedAnswer, match=where):
        compare_answer(answer, sale_invoice())


def test_an_air_itinerary_is_checked_by_its_total_and_header_only():
    air = sale_invoice(
        kind="air",
        train_number=None,
        fare=Decimal("330.28"),
        fuel_surcharge=Decimal("64.22"),
        amount_excluding_tax=Decimal("394.50"),
        tax_amount=Decimal("35.50"),
        civil_aviation_fund=Decimal("50.00"),
        total_amount=Decimal("480.00"),
    )
    answer = sale_answer({"cccc": "G3"}, jshj="480.00", hjje="394.50", hjse="35.50")
    # The railway 特定要素 (a train G3) say nothing about an itinerary.
    assert compare_answer(answer, air) == ()
    assert compare_answer(sale_answer(jshj="330.28", hjje="394.50", hjse="35.50"), air) == ("fare",)
