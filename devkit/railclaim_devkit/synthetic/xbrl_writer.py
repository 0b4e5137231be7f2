"""Writing an issuer XBRL instance (财政部 电子凭证会计数据标准): one context, CNY and pure units,
facts in order, and tuples of facts; the railway and air instances differ only in their facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True, slots=True)
class Fact:
    """One element and its text; `unit` (`CNY`, `Pure`) makes it a numeric fact."""

    name: str
    text: str
    unit: str | None = None
    nil: bool = False


@dataclass(frozen=True, slots=True)
class FactTuple:
    """An element grouping facts (an XBRL tuple), e.g. one flight of an itinerary."""

    name: str
    facts: tuple[Fact, ...]


Item = Fact | FactTuple


def write_instance(
    items: Sequence[Item],
    *,
    prefix: str,
    namespace: str,
    identifier: str,
    instant: dt.date,
    comment: str | None = None,
) -> bytes:
    """The instance as UTF-8 bytes, laid out like the reference samples."""
    ctx = f"ctx_{instant:%Y_%m_%d}"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    if comment is not None:
        lines.append(f"<!-- {comment} -->")
    lines += [
        '<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance"'
        ' xmlns:iso4217="http://www.xbrl.org/2003/iso4217"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        f"    xmlns:{prefix}={quoteattr(namespace)}>",
        f'  <xbrli:context id="{ctx}"><xbrli:entity><xbrli:identifier'
        f' scheme="http://xbrl.mof.gov.cn">{escape(identifier)}</xbrli:identifier></xbrli:entity>',
        f"    <xbrli:period><xbrli:instant>{instant.isoformat()}</xbrli:instant>"
        "</xbrli:period></xbrli:context>",
        '  <xbrli:unit id="CNY"><xbrli:measure>iso4217:CNY</xbrli:measure></xbrli:unit>',
        '  <xbrli:unit id="Pure"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>',
    ]
    for item in items:
        if isinstance(item, FactTuple):
            lines.append(f"  <{prefix}:{item.name}>")
            lines += [_fact_line(fact, prefix, ctx, "    ") for fact in item.facts]
            lines.append(f"  </{prefix}:{item.name}>")
        else:
            lines.append(_fact_line(item, prefix, ctx, "  "))
    lines.append("</xbrli:xbrl>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _fact_line(fact: Fact, prefix: str, ctx: str, indent: str) -> str:
    attrs = f"contextRef={quoteattr(ctx)}"
    if fact.unit is not None:
        attrs += f' unitRef="{fact.unit}" decimals="2"'
    tag = f"{prefix}:{fact.name}"
    if fact.nil:
        return f'{indent}<{tag} {attrs} xsi:nil="true"/>'
    return f"{indent}<{tag} {attrs}>{escape(fact.text)}</{tag}>"
