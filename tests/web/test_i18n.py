"""The message catalogue: every Chinese text a page or presenter shows has its English form."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import Request

from app.web import i18n
from app.web.claim_present import CLAIM_STATES, DONE_MESSAGES, HISTORY_ACTIONS, SEVERITIES
from app.web.messages_en import EN
from app.web.nav import NAV
from app.web.present import (
    ASPECTS,
    BUSINESS_TYPES,
    OUTCOME_LABELS,
    STATUS_LABELS,
    VERIFICATION_LABELS,
)
from app.web.problem_texts import PROBLEMS
from app.web.templating import ROLE_LABELS

TEMPLATES = Path(i18n.__file__).parent / "templates"
_CALL = re.compile(r"""_\(\s*(["'])(.*?)\1""")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _template_texts() -> set[str]:
    texts: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        texts |= {m.group(2) for m in _CALL.finditer(path.read_text(encoding="utf-8"))}
    return {t for t in texts if _HAN.search(t)}


def _code_texts() -> set[str]:
    texts = {section.label for section in NAV} | {link.label for s in NAV for link in s.links}
    for labels in (
        STATUS_LABELS,
        VERIFICATION_LABELS,
        OUTCOME_LABELS,
        BUSINESS_TYPES,
        ROLE_LABELS,
        CLAIM_STATES,
        HISTORY_ACTIONS,
        SEVERITIES,
        DONE_MESSAGES,
        ASPECTS,
    ):
        texts |= set(labels.values())
    return texts


def test_every_text_has_an_english_translation():
    missing = sorted((_template_texts() | _code_texts()) - EN.keys())
    assert missing == []


def test_english_keeps_the_placeholders_of_the_chinese():
    for zh, en in EN.items():
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), zh


def test_every_problem_text_has_both_languages():
    for slug, (title, hint_zh, hint_en) in PROBLEMS.items():
        assert _HAN.search(title), slug
        assert bool(hint_zh) == bool(hint_en), slug


def _request(query: str = "", cookie: str = "") -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


def test_language_comes_from_query_then_cookie_then_default():
    assert i18n.request_lang(_request()) == "zh-CN"
    assert i18n.request_lang(_request(cookie=f"{i18n.LANG_COOKIE}=en")) == "en"
    assert i18n.request_lang(_request("lang=zh-CN", cookie=f"{i18n.LANG_COOKIE}=en")) == "zh-CN"
    assert i18n.request_lang(_request("lang=klingon")) == "zh-CN"


def test_translate_formats_values_in_either_language():
    assert i18n.translate("zh-CN", "您好，{name}", name="张三") == "您好，张三"
    assert i18n.translate("en", "您好，{name}", name="Zhang") == "Hello, Zhang"
    assert i18n.translate("en", "没有这条") == "没有这条"
