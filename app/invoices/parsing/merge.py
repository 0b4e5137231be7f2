"""Merging renditions of one invoice (PDF and OFD in a 12306 zip) into one entry, member order."""

from __future__ import annotations

import dataclasses

from app.invoices.parsing.kinds import rules_of
from app.invoices.parsing.model import Finding, ParsedInvoice


def merge_renditions(invoices: list[ParsedInvoice]) -> list[ParsedInvoice]:
    """One entry per invoice number, ordered by first appearance, renditions by appearance."""
    groups: dict[str, list[ParsedInvoice]] = {}
    for invoice in invoices:
        groups.setdefault(invoice.invoice_number, []).append(invoice)
    return [_merge(group) if len(group) > 1 else group[0] for group in groups.values()]


def _merge(group: list[ParsedInvoice]) -> ParsedInvoice:
    # The XBRL-backed reading is authoritative; among equals the first member wins.
    base = next((inv for inv in group if inv.source == "xbrl"), group[0])
    findings = list(base.findings)
    renditions = []
    seen_kinds: set[str] = set()
    for invoice in group:
        for finding in invoice.findings:
            if finding not in findings:
                findings.append(finding)
        findings += _disagreements(base, invoice)
        for rendition in invoice.renditions:
            if rendition.kind in seen_kinds:
                message = f"a second {rendition.kind} of the invoice ({rendition.filename}) ignored"
                findings.append(Finding("duplicate-rendition", message))
                continue
            seen_kinds.add(rendition.kind)
            renditions.append(rendition)
    xbrl = base.xbrl or next((inv.xbrl for inv in group if inv.xbrl), None)
    return dataclasses.replace(
        base, renditions=tuple(renditions), findings=tuple(findings), xbrl=xbrl
    )


def _disagreements(base: ParsedInvoice, other: ParsedInvoice) -> list[Finding]:
    # Fields both renditions state; a disagreement between them is as telling as face vs XBRL.
    findings = []
    for name in ("kind", *rules_of(base.kind).compared_fields):
        ours, theirs = getattr(base, name), getattr(other, name)
        if ours is not None and theirs is not None and ours != theirs:
            message = f"{name.replace('_', ' ')}: renditions disagree ({ours} vs {theirs})"
            findings.append(Finding("rendition-mismatch", message, name))
    return findings
