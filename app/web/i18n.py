"""Interface language: zh-CN by default, English by cookie or `?lang=`; a dict catalogue.

Templates and presenters write the Chinese text itself (gettext style): `_("我的发票")`.
English comes from `app.web.messages_en.EN`, keyed by that Chinese text, so a page reads as
Chinese in its source and a missing English entry shows the Chinese instead of a blank.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import Request

from app.web.messages_en import EN
from app.web.problem_texts import PROBLEMS, WARNINGS_ZH

Lang = Literal["zh-CN", "en"]
LANGS: tuple[Lang, ...] = ("zh-CN", "en")
DEFAULT_LANG: Lang = "zh-CN"
LANG_COOKIE = "railclaim_lang"

Translator = Callable[..., str]


def parse_lang(value: str | None) -> Lang | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("en", "en-us", "en-gb", "english"):
        return "en"
    if lowered in ("zh", "zh-cn", "zh-hans", "cn"):
        return "zh-CN"
    return None


def request_lang(request: Request) -> Lang:
    """The query parameter wins (it is the switch), then the cookie, then the default."""
    return (
        parse_lang(request.query_params.get("lang"))
        or parse_lang(request.cookies.get(LANG_COOKIE))
        or DEFAULT_LANG
    )


def translate(lang: Lang, text: str, **values: object) -> str:
    template = EN.get(text, text) if lang == "en" else text
    return template.format(**values) if values else template


def translator(lang: Lang) -> Translator:
    def _(text: str, **values: object) -> str:
        return translate(lang, text, **values)

    return _


def problem_title(lang: Lang, slug: str, fallback: str) -> str:
    """A refusal's title in the clerk's language; English titles come from the problem itself."""
    if lang == "en" or slug not in PROBLEMS:
        return fallback
    return PROBLEMS[slug][0]


def problem_hint(lang: Lang, slug: str) -> str:
    """What to do about a refusal, in words a clerk understands ('' when nothing to add)."""
    if slug not in PROBLEMS:
        return ""
    _title, hint_zh, hint_en = PROBLEMS[slug]
    return hint_en if lang == "en" else hint_zh


def warning_text(lang: Lang, code: str, message: str) -> str:
    if lang == "en":
        return message
    return WARNINGS_ZH.get(code, message)
