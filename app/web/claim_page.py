"""The claim detail page, shared by every action that lands on it (or fails and explains why),
and the post those actions read: who acts, the form, and the page's answer to a refusal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from pydantic import BaseModel
from starlette.responses import Response

from app.auth.models import Role
from app.auth.names import display_names
from app.claims import queries
from app.kit.dates import business_today
from app.ledger.queries import voucher_ids_by_claim, voucher_numbers
from app.problems import AppError
from app.web.claim_present import (
    DONE_MESSAGES,
    VOUCHER_KINDS,
    claim_actions,
    claim_view,
    people_of,
)
from app.web.form_page import render_refusal
from app.web.forms import as_problem
from app.web.i18n import Lang, translate
from app.web.nav import LEDGER_READERS
from app.web.page_call import FormPost, PageCall, form_post, see_other


def claim_page(
    page: PageCall,
    claim_id: uuid.UUID,
    *,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The claim within the caller's sight (else 404), its actions, and a refusal if any."""
    session, principal, lang = page.session, page.principal, page.lang
    claim = queries.read_claim(session, principal, claim_id, vouchers=voucher_ids_by_claim)
    context = {
        **claim_view(lang, claim, display_names(session, people_of(claim))),
        "actions": claim_actions(principal, claim),
        "today": business_today().isoformat(),
        "values": values or {},
        "done": _done_text(lang, page.query("done")),
        "vouchers": [
            {"id": v_id, "number": number, "kind": translate(lang, VOUCHER_KINDS.get(kind, kind))}
            for v_id, number, kind in voucher_numbers(session, claim.voucher_ids)
        ],
        "can_open_vouchers": principal.has_role(*LEDGER_READERS),
    }
    return render_refusal(page, "claims/detail.html", context, error)


def _done_text(lang: Lang, done: str | None) -> str | None:
    if done is None or done not in DONE_MESSAGES:
        return None
    return translate(lang, DONE_MESSAGES[done])


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ClaimPost(FormPost):
    """A post on a claim's page: a refusal shows that page again with the reason."""

    def refuse(
        self, claim_id: uuid.UUID, error: AppError, *, keep_values: bool = False
    ) -> Response:
        """The claim page explaining `error`; `keep_values` keeps what was typed in its form."""
        return claim_page(self, claim_id, error=error, values=self.form if keep_values else None)

    def attempt(
        self,
        claim_id: uuid.UUID,
        command: Callable[[], object],
        *,
        done: str,
        keep_values: bool = False,
    ) -> Response:
        """Runs the service command: a refusal re-renders the claim, success says `done` there."""
        try:
            command()
        except AppError as exc:
            return self.refuse(claim_id, exc, keep_values=keep_values)
        return see_other(f"/claims/{claim_id}?done={done}")

    def submit_form(
        self,
        claim_id: uuid.UUID,
        model: type[M],
        command: Callable[[M], object],
        *,
        done: str,
        data: dict[str, Any] | None = None,
    ) -> Response:
        """The form (or `data` read from it) as `model`, then the command with it; a field error
        shows in the claim's problem box, a refusal also keeps what was typed."""
        body, errors = self.parse(model, data)
        if body is None:
            return self.refuse(claim_id, as_problem(errors))
        return self.attempt(claim_id, lambda: command(body), done=done, keep_values=True)


# The API's claim writers (auditors never write), and finance for booking and paying.
CLAIM_WRITERS = (Role.EMPLOYEE, Role.APPROVER, Role.FINANCE, Role.ADMIN)
ClaimWriterPost = Annotated[ClaimPost, Depends(form_post(ClaimPost, *CLAIM_WRITERS))]
FinanceClaimPost = Annotated[ClaimPost, Depends(form_post(ClaimPost, Role.FINANCE))]
