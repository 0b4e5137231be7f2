"""Validation errors on pages: by pydantic error type and context, in the page's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

from app.kit.text import Name
from app.web.validation_texts import MESSAGES, validation_message
from tests.api.ledger_helpers import Office, make_office
from tests.web.helpers import HTML, login, post_form

PAPER = {
    "serial_number": "Z00000001",
    "e_ticket_number": "E99990000111122",
    "travel_date": "2025-09-20",
    "train_number": "G1",
    "departure_station": "北京南",
    "arrival_station": "上海虹桥",
    "seat_class": "二等座",
    "fare": "553.00",
    "passenger_name": "张三",
    "passenger_id_masked": "1101011990****1234",
}


class _Form(BaseModel):
    password: str = Field(min_length=8)
    grade: int = Field(ge=0)
    title: Name


def _errors(data: dict[str, object]) -> dict[str, dict]:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(data)
    return {str(e["loc"][-1]): dict(e) for e in caught.value.errors()}


def test_messages_come_from_the_type_and_its_context():
    errors = _errors({"password": "short", "grade": -1, "title": "   "})
    assert validation_message("zh-CN", errors["password"]) == "至少需要 8 个字符"
    assert validation_message("en", errors["password"]) == "At least 8 characters"
    assert validation_message("zh-CN", errors["grade"]) == "不能小于 0"
    # Our own validator's type, not pydantic's "Value error, …" prose.
    assert errors["title"]["type"] == "blank"
    assert validation_message("zh-CN", errors["title"]) == "不能只填空格"


def test_unknown_types_and_missing_context_stay_in_the_language():
    assert validation_message("zh-CN", {"type": "something_new"}) == "内容无效"
    assert validation_message("en", {"type": "string_too_short", "ctx": {}}) == "Invalid value"


def test_both_languages_keep_the_same_placeholders():
    import re

    for kind, (zh, en) in MESSAGES.items():
        assert re.search(r"[\u4e00-\u9fff]", zh), kind
        assert not re.search(r"[\u4e00-\u9fff]", en), kind
        if kind not in ("literal_error", "enum"):  # zh says "choose from the list" instead
            assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), kind


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def test_a_form_error_is_chinese_on_a_chinese_page(client: TestClient, office: Office):
    login(client, office.employee)
    page = post_form(client, "/paper-vouchers/new", "/paper-vouchers/new", {**PAPER, "fare": "abc"})
    assert page.status_code == 422
    assert "请填写金额数字" in page.text
    assert "Input should be" not in page.text
    assert "Value error" not in page.text


def test_the_same_form_error_is_english_on_an_english_page(client: TestClient, office: Office):
    login(client, office.employee)
    client.get("/?lang=en", headers=HTML)
    page = post_form(client, "/paper-vouchers/new", "/paper-vouchers/new", {**PAPER, "fare": "abc"})
    assert page.status_code == 422
    assert "Enter an amount, e.g. 553.00" in page.text
    assert "请填写金额数字" not in page.text


def test_a_short_password_names_the_minimum_in_chinese(client: TestClient, office: Office):
    login(client, office.admin)
    page = post_form(
        client,
        "/admin/users",
        "/admin/users",
        {"username": "newbie", "display_name": "新人", "password": "short", "roles": "employee"},
    )
    assert page.status_code == 422
    assert "至少需要 8 个字符" in page.text
    assert "String should have" not in page.text


def test_a_bad_query_on_a_page_explains_the_field_in_chinese(client: TestClient, office: Office):
    login(client, office.finance)
    page = client.get("/finance/vouchers?period=2026-13", headers=HTML)
    assert page.status_code == 422
    # The filter form comes back with the reason beside the field (tests/web/test_web_form_errors).
    assert '<small class="field-error">请填写期间，格式 YYYY-MM</small>' in page.text
    assert "String should match" not in page.text
