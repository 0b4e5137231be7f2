"""Reading a 查验 answer's shape: the header and its `tdys` railway elements, and a redacted copy.

The shape is the published one for 票种 51 (see ../shared/samples/chayan_tdys_SYNTHETIC.json).
Keys are matched case-insensitively (`fppzDm` and `fppzdm` both occur); an answer wrapped as
`{"data": {...}}` is unwrapped. The 票种 code itself is not checked: providers use 51 or 83.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from app.invoices.verification.normalize import MalformedAnswer, is_blank

Section = dict[str, object]

HEADER_KEYS = frozenset(
    {"fphm", "kprq", "fppzdm", "gmfmc", "gmfnsrsbh", "jshj", "hjje", "hjse", "sflzfpbz"}
    | {"kjhzfpdydlzfphm"}
)
TDYS_KEYS = frozenset(
    {"fphm", "kprq", "ywlxmc", "cfz", "cfzpy", "ddz", "ddzpy", "cccc", "rq", "cfsj1"}
    | {"tldzkppzmc", "kttz", "xb1", "cx", "xw", "zfje", "ytje", "yppj", "ypcfz", "ypddz"}
    | {"dzkph", "zjhm", "xm", "tlkpyhlx", "yfphm"}
)
_MAX_KEPT_CHARS = 200


def unwrap_answer(body: object) -> Mapping[str, object]:
    """The answer object itself; raises MalformedAnswer unless it names an invoice (fphm)."""
    if not isinstance(body, Mapping):
        raise MalformedAnswer("the answer is not a JSON object")
    lowered = _lowered(body)
    if is_blank(lowered.get("fphm")) and isinstance(lowered.get("data"), Mapping):
        return unwrap_answer(lowered["data"])
    if is_blank(lowered.get("fphm")):
        raise MalformedAnswer("the answer names no invoice number (fphm)")
    return body


def answer_sections(answer: Mapping[str, object]) -> tuple[Section, Section]:
    """Header and `tdys` with lower-cased keys; `tdys` is empty when the provider omits it."""
    header = _lowered(answer)
    tdys = _tdys_object(header.get("tdys"))
    return header, ({} if tdys is None else _lowered(tdys))


def redact_answer(answer: Mapping[str, object]) -> dict[str, object]:
    """The answer restricted to the known 查验 keys with short scalar values.

    Unknown keys may carry personal data the invoice does not hold (a full ID number, a phone
    number), so only the published shape is kept; an unmasked ID number is dropped.
    """
    kept = _known_scalars(answer, HEADER_KEYS)
    for key, value in answer.items():
        tdys = _tdys_object(value) if key.lower() == "tdys" else None
        if tdys is not None:
            kept[key] = _known_scalars(tdys, TDYS_KEYS)
    return kept


def _tdys_object(value: object) -> Mapping[str, object] | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # some providers send the specific elements as a one-row list
    if is_blank(value) or value == []:
        return None
    if not isinstance(value, Mapping):
        raise MalformedAnswer("tdys is not an object")
    return value


def _known_scalars(section: Mapping[str, object], known: frozenset[str]) -> dict[str, object]:
    kept: dict[str, object] = {}
    for key, value in section.items():
        if key.lower() not in known or not _is_short_scalar(value):
            continue
        if key.lower() == "zjhm" and not _is_masked(value):
            continue
        kept[key] = value
    return kept


def _is_short_scalar(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= _MAX_KEPT_CHARS
    return value is None or isinstance(value, bool | int | float)


def _is_masked(value: object) -> bool:
    if is_blank(value):
        return True
    return isinstance(value, str) and "*" in unicodedata.normalize("NFKC", value)


def _lowered(section: Mapping[str, object]) -> Section:
    return {str(key).lower(): value for key, value in section.items()}
