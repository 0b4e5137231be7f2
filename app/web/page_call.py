"""What a page handler is handed, resolved once and always in the same order: the request, its
session and the signed-in user (`PageCall`); for a form post also the settings, the actor it runs
as and the fields that passed the CSRF check (`FormPost`). Handlers name the alias of the roles
they admit, as the API's handlers name `auth.deps.FinanceActor`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.deps import AuditKeyDep
from app.auth.actor import Actor
from app.auth.models import Role, User
from app.auth.principal import Principal
from app.config import Settings, SettingsDep
from app.db import SessionDep
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import Lang, request_lang
from app.web.nav import LEDGER_READERS
from app.web.session import require_web_roles, web_principal
from app.web.templating import render

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
M_contra = TypeVar("M_contra", bound=BaseModel, contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class UserCommand(Protocol[M_contra, R_co]):
    """A command of the shared domains (users, entities, webhooks): a user runs it on a request
    body; it records its audit event with the settings' key."""

    def __call__(
        self, session: Session, data: M_contra, /, *, actor: User, settings: Settings
    ) -> R_co: ...


@dataclass(frozen=True)
class PageCall:
    """A request for a page by a signed-in user."""

    request: Request
    session: Session
    principal: Principal

    @property
    def lang(self) -> Lang:
        return request_lang(self.request)

    def query(self, name: str) -> str | None:
        """A parameter of the page's URL, such as the `done` a post redirects with."""
        return self.request.query_params.get(name)

    def render(self, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
        """The page as this user sees it (navigation, language, CSRF token)."""
        return render(
            self.request, template, context, principal=self.principal, status_code=status_code
        )


@dataclass(frozen=True)
class FormPost(PageCall):
    """A form post that passed its CSRF check, with the actor it runs as."""

    settings: Settings
    actor: Actor
    form: dict[str, Any]

    def parse(
        self, model: type[M], data: dict[str, Any] | None = None
    ) -> tuple[M | None, FormErrors]:
        """The form (or `data` read from it) as `model`, or its field errors in the user's words."""
        return parse_form(model, self.form if data is None else data, self.lang)

    def by_user(self, command: UserCommand[M, R]) -> Callable[[M], R]:
        """`command` as the posting user runs it on the posted data."""

        def run(data: M) -> R:
            return command(self.session, data, actor=self.principal.user, settings=self.settings)

        return run

    def submit(
        self,
        model: type[M],
        command: Callable[[M], R],
        *,
        again: Callable[[FormErrors], Response],
        then: Callable[[R], Response],
        data: dict[str, Any] | None = None,
    ) -> Response:
        """The form as `model`, then `command` with it, answered by `then`; field errors or the
        command's refusal show the form `again`."""
        body, errors = self.parse(model, data)
        if body is None:
            return again(errors)
        try:
            result = command(body)
        except AppError as exc:
            return again(refused(exc, self.lang))
        return then(result)


def see_other(url: str) -> Response:
    """The answer to a post that did its work: the browser loads `url`, a reload posts nothing."""
    return RedirectResponse(url, status_code=303)


def _signed_in(roles: tuple[Role, ...]) -> Any:
    # A default, not an Annotated hint: postponed hints are read from the module, not a closure.
    return Depends(require_web_roles(*roles) if roles else web_principal)


def page_call(*roles: Role) -> Callable[..., Awaitable[PageCall]]:
    """The dependency admitting a signed-in user holding one of `roles` (any user without)."""
    signed_in = _signed_in(roles)

    # Async: it does no I/O, so it need not hop to the thread pool (as the app's other such deps).
    async def dependency(
        request: Request, session: SessionDep, *, principal: Principal = signed_in
    ) -> PageCall:
        return PageCall(request, session, principal)

    return dependency


P = TypeVar("P", bound=FormPost)


def form_post(kind: type[P], *roles: Role) -> Callable[..., Awaitable[P]]:
    """The dependency reading a post of `kind` by one of `roles` (any user without), in the order
    the pages always did: session, settings, the user and their role, the CSRF token, the form."""
    signed_in = _signed_in(roles)

    async def dependency(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        *,
        principal: Principal = signed_in,
        key: AuditKeyDep,
        _csrf: CsrfChecked,
        form: FormFields,
    ) -> P:
        return kind(request, session, principal, settings, Actor(principal, key), form)

    return dependency


# The same roles as the API dependencies (app.auth.deps, app.invoices.deps).
UPLOADERS = (Role.EMPLOYEE, Role.FINANCE, Role.ADMIN)
WebPage = Annotated[PageCall, Depends(page_call())]
AdminPage = Annotated[PageCall, Depends(page_call(Role.ADMIN))]
FinancePage = Annotated[PageCall, Depends(page_call(Role.FINANCE))]
LedgerPage = Annotated[PageCall, Depends(page_call(*LEDGER_READERS))]
UploaderPage = Annotated[PageCall, Depends(page_call(*UPLOADERS))]
WebPost = Annotated[FormPost, Depends(form_post(FormPost))]
AdminPost = Annotated[FormPost, Depends(form_post(FormPost, Role.ADMIN))]
FinancePost = Annotated[FormPost, Depends(form_post(FormPost, Role.FINANCE))]
UploaderPost = Annotated[FormPost, Depends(form_post(FormPost, *UPLOADERS))]
