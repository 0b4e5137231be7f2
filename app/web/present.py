"""Presenting service results on pages: invoice rows, upload outcomes and refusals, translated."""

from __future__ import annotations

from typing import Any

from app.invoices.schemas import InvoiceOut
from app.invoices.service import ItemResult
from app.problems import AppError, problem_body
from app.web.i18n import Lang, problem_hint, problem_title, translate, warning_text
from app.web.problem_texts import PROBLEMS, UNSEEN_EXISTING
from app.web.templating import format_money
from app.web.validation_texts import validation_message

STATUS_LABELS = {"available": "可报销", "claimed": "报销中", "booked": "已入账", "void": "已作废"}
VERIFICATION_LABELS = {
    "verified": "查验一致",
    "mismatch": "查验不一致",
    "unverified": "未查验",
    "failed": "查验失败",
}
OUTCOME_LABELS = {
    "created": "已上传",
    "rendition-added": "已补充版式文件",
    "duplicate": "重复",
    "rejected": "未接收",
}
ASPECTS = {
    "authenticity": "真实性",
    "integrity": "完整性",
    "usability": "可用性",
    "security": "安全性",
}
BUSINESS_TYPES = {"sale": "售票", "refund": "退票费", "change": "改签费", "difference": "差额"}


def problem_view(lang: Lang, problem: dict[str, Any] | AppError) -> dict[str, Any]:
    """A refusal for a page: translated title, what to do, the service's own detail, links."""
    if isinstance(problem, AppError):
        problem = problem_body(problem)
    slug = str(problem.get("type", "")).rsplit("/", 1)[-1]
    existing = problem.get("existing_invoice_id")
    return {
        "slug": slug,
        "title": problem_title(lang, slug, str(problem.get("title", ""))),
        "hint": _unseen_existing(lang, problem) or problem_hint(lang, slug),
        "detail": _detail(lang, slug, problem),
        "existing_url": f"/invoices/{existing}" if existing else None,
    }


def _unseen_existing(lang: Lang, problem: dict[str, Any]) -> str | None:
    """What a refusal says of a stored document the viewer may not see (the service names
    neither its id nor its number then, so there is no link to follow either)."""
    for noun in ("invoice", "paper_voucher"):
        reason = problem.get(f"existing_{noun}")
        if (noun, reason) in UNSEEN_EXISTING:
            zh, en = UNSEEN_EXISTING[(noun, str(reason))]
            return en if lang == "en" else zh
    return None


def _error_text(lang: Lang, error: dict[str, Any]) -> str:
    if "text" in error:  # a form error the web already put in words
        return str(error["text"])
    return validation_message(lang, {"type": error.get("code", "")})


def _detail(lang: Lang, slug: str, problem: dict[str, Any]) -> str | None:
    """The specifics under the title: field errors by their code; English prose only in English.

    A service's `detail` is an English sentence for integrators. A Chinese page shows it only
    when it has no Chinese title and hint of its own for the problem (better than nothing).
    """
    errors = [e for e in problem.get("errors") or [] if isinstance(e, dict)]
    if slug == "validation-error" and errors:
        if lang == "en" and not any("code" in e or "text" in e for e in errors):
            return str(problem.get("detail") or "") or None
        return "；".join(f"{e.get('field')}：{_error_text(lang, e)}" for e in errors)
    if lang == "en" or slug not in PROBLEMS:
        detail = problem.get("detail")
        return str(detail) if detail else None
    return None


def invoice_row(lang: Lang, invoice: InvoiceOut) -> dict[str, Any]:
    """The fields a list row or an upload result shows, ready to print as text."""
    return {
        "id": str(invoice.id),
        "url": f"/invoices/{invoice.id}",
        "invoice_number": invoice.invoice_number,
        "business_type": translate(lang, BUSINESS_TYPES.get(invoice.business_type, "")),
        "business_type_code": invoice.business_type,
        "kind": invoice.kind,
        "kind_label": translate(lang, KIND_LABELS[invoice.kind]),
        # 车次 for a train, the flights (航班) of an itinerary.
        "train_number": _route_number(invoice) or "—",
        "route_label": translate(lang, "航班" if invoice.kind == "air" else "车次"),
        "route": f"{invoice.departure_station or '?'} → {invoice.arrival_station or '?'}",
        "travel_date": invoice.travel_date.isoformat() if invoice.travel_date else "—",
        "seat": " ".join(p for p in (invoice.seat_class, invoice.carriage, invoice.seat) if p)
        or "—",
        "seat_class": _cabins(lang, invoice)
        if invoice.kind == "air"
        else invoice.seat_class or "—",
        "seat_place": " ".join(p for p in (invoice.carriage, invoice.seat) if p) or "—",
        # What a claim reimburses: the fare, an itinerary's 合计.
        "fare": format_money(invoice.total_amount),
        "amount": str(invoice.total_amount),
        "status": invoice.status,
        "status_label": translate(lang, STATUS_LABELS.get(invoice.status, invoice.status)),
        "passenger_name": invoice.passenger_name or "—",
        "warnings": [warning_text(lang, w.code, w.message) for w in invoice.warnings],
    }


KIND_LABELS = {"railway": "火车", "air": "飞机"}
CABIN_LABELS = {"economy": "经济舱", "business": "公务舱", "first": "头等舱"}


def _route_number(invoice: InvoiceOut) -> str | None:
    if invoice.kind != "air":
        return invoice.train_number
    return "/".join(s.flight_number for s in invoice.segments) or None


def _cabins(lang: Lang, invoice: InvoiceOut) -> str:
    """Each flight's letter and class, e.g. `Y 经济舱 / J 公务舱`."""
    parts = [
        " ".join(
            p
            for p in (
                s.cabin,
                translate(lang, CABIN_LABELS[s.cabin_class]) if s.cabin_class else "",
            )
            if p
        )
        for s in invoice.segments
    ]
    return " / ".join(p for p in parts if p) or "—"


def batch_row(lang: Lang, result: ItemResult, invoice: InvoiceOut | None) -> dict[str, Any]:
    """One upload outcome as JSON for the upload page's script (it only prints text)."""
    return {
        "file": result.file,
        "member": result.member,
        "outcome": result.outcome,
        "outcome_label": translate(lang, OUTCOME_LABELS.get(result.outcome, result.outcome)),
        "invoice": invoice_row(lang, invoice) if invoice else None,
        "problem": problem_view(lang, result.problem) if result.problem else None,
    }
