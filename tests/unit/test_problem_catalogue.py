"""The problem catalogue is derived from the error classes and keeps every problem type."""

from __future__ import annotations

import pytest

import app.main  # noqa: F401  (imports every package, so every error class is defined)
from app.invoices.errors import FileRefused
from app.problems import CATALOGUE, AppError, Conflict

KNOWN_SLUGS = {
    "account-disabled", "account-locked", "audit-log-damaged", "blocking-findings", "busy",
    "buyer-mismatch",
    "conflict", "csrf-failed", "duplicate-entity", "duplicate-invoice", "duplicate-paper-voucher",
    "duplicate-username", "encrypted-file", "forbidden", "http-error", "idempotency-key-reused",
    "internal-error", "invalid-credentials", "invalid-state", "item-already-claimed",
    "item-not-claimable", "method-not-allowed", "no-approver", "no-verified-checkpoint",
    "not-a-railway-invoice", "not-a-travel-invoice", "not-found", "paper-after-transition",
    "paper-original-missing", "period-closed", "record-not-as-sealed", "request-in-progress",
    "request-timeout",
    "retention-active", "segregation-of-duties", "self-approval", "stored-file-damaged",
    "stored-file-missing", "ticket-already-claimed", "too-large", "unauthorized", "unreadable-file",
    "unsupported-format", "unsupported-media-type", "validation-error",
    "warnings-not-acknowledged",
}  # fmt: skip


def _subclasses(cls: type[AppError]) -> list[type[AppError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_problem_type_of_today_has_a_page_entry():
    assert set(CATALOGUE) == KNOWN_SLUGS


def test_every_error_class_names_a_described_problem_type():
    undescribed = {c.__name__ for c in _subclasses(AppError) if c.slug not in CATALOGUE}
    assert undescribed == set()


def test_every_parser_refusal_has_a_page():
    assert {code for code, _ in FileRefused._REFUSALS.items()} <= set(CATALOGUE)


def test_a_slug_is_described_once():
    with pytest.raises(TypeError, match="described twice"):

        class _Again(Conflict):
            slug, title, explanation = "conflict", "Again", "Described a second time."


def test_a_class_reusing_a_slug_takes_its_catalogue_title_not_its_parents():
    class _Reuse(Conflict):
        slug = "invalid-state"

    assert _Reuse().title is None
    assert CATALOGUE["invalid-state"][0] == "Not allowed in the current state"
