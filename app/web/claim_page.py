"""The claim detail page, shared by every action that lands on it (or fails and explains why),
and the post those actions read: who acts, the form, and the page's answer to a refusal."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.models import Role
from app.auth.names import display_names
from app.auth.principal import Principal
from app.claims import queries
from app.claims.service import Actor
from app.config import SettingsDep
from app.db import SessionDep
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
from app.web.csrf import CsrfChecked
from app.web.forms import FormFields, as_problem, parse_form
from app.web.i18n import Lang, request_lang, translate
from app.web.nav import LEDGER_READERS
from app.web.present import problem_view
from app.web.session import require_web_roles
from app.web.templating import render


def claim_page(
    request: Request,
    session: Session,
    principal: Principal,
    claim_id: uuid.UUID,
    *,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The claim within the caller's sight (else 404), its actions, and a refusal if any."""
    lang = request_lang(request)
    claim = queries.read_claim(session, principal, claim_id, vouchers=voucher_ids_by_claim)
    context = {
        **claim_view(lang, claim, display_names(session, people_of(claim))),
        "actions": claim_actions(principal, claim),
        "today": business_today().isoformat(),
        "problem": problem_view(lang, error) if error else None,
        "values": values or {},
        "done": _done_text(lang, request.query_params.get("done")),
        "vouchers": [
            {"id": v_id, "number": number, "kind": translate(lang, VOUCHER_KINDS.get(kind, kind))}
            for v_id, number, kind in voucher_numbers(session, claim.voucher_ids)
        ],
        "can_open_vouchers": principal.has_role(*LEDGER_READERS),
    }
    status_code = error.status if error else 200
    return render(
        request, "claims/detail.html", context, principal=principal, status_code=status_code
    )


def _done_text(lang: Lang, done: str | None) -> str | None:
    if done is None or done not in DONE_MESSAGES:
        return None
    return translate(lang, DONE_MESSAGES[done])


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ClaimPost:
    """A post on a claim's page that passed its CSRF check, with the actor it runs as."""

    request: Request
    session: Session
    principal: Principal
    actor: Actor
    form: dict[str, Any]

    @property
    def lang(self) -> Lang:
        return request_lang(self.request)

    def refuse(
        self, claim_id: uuid.UUID, error: AppError, *, keep_values: bool = False
    ) -> Response:
        """The claim page explaining `error`; `keep_values` keeps what was typed in its form."""
        values = self.form if keep_values else None
        return claim_page(
            self.request, self.session, self.principal, claim_id, error=error, values=values
        )

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
        return RedirectResponse(f"/claims/{claim_id}?done={done}", status_code=303)

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
        body, errors = parse_form(model, self.form if data is None else data, self.lang)
        if body is None:
            return self.refuse(claim_id, as_problem(errors))
        return self.attempt(claim_id, lambda: command(body), done=done, keep_values=True)


def claim_post(*roles: Role) -> Callable[..., Awaitable[ClaimPost]]:
    """The dependency reading a claim post by one of `roles`, in the order the pages always did:
    session, settings, the user and their role, the CSRF token, then the form."""
    # A default, not an Annotated hint: postponed hints are read from the module, not this scope.
    has_role = Depends(require_web_roles(*roles))

    # Async: it does no I/O, so it need not hop to the thread pool (as the app's other such deps).
    async def dependency(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        *,
        principal: Principal = has_role,
        _csrf: CsrfChecked,
        form: FormFields,
    ) -> ClaimPost:
        return ClaimPost(request, session, principal, Actor(principal, audit_key(settings)), form)

    return dependency


# The API's claim writers (auditors never write), and finance for booking and paying.
CLAIM_WRITERS = (Role.EMPLOYEE, Role.APPROVER, Role.FINANCE, Role.ADMIN)
ClaimWriterPost = Annotated[ClaimPost, Depends(claim_post(*CLAIM_WRITERS))]
FinancePost = Annotated[ClaimPost, Depends(claim_post(Role.FINANCE))]
