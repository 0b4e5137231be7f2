"""The access decision of every route, written down once (SPEC "Organisation model", API table).

Each route names the roles its gate admits, what its path points at (and so which ownership axis
applies) and, among those who see that object, who may act on it. `expected()` turns that into
the status a request must get: 401 anonymous, 403 a role the gate refuses or a rule the actor
fails, 404 an object out of sight (never 403: no existence leak), else "ok" (2xx, or a 409/422
about the object's state or the body). A route missing here fails the enumeration test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.kit.dates import business_today
from tests.api.authz_world import ACTORS, PNG, World
from tests.factories import PASSWORD, make_uscc

Outcome = Literal["ok", 401, 403, 404]
ROLES = (*ACTORS, "anonymous")
OWN, REPORT, OTHER, FOREIGN, NONE = "own", "report", "other", "foreign", "-"
PUBLIC, ANY = "public", "any"
_n = itertools.count(1)

# Role gates as the app's dependencies define them; a service user acts with its finance role.
UPLOADER = frozenset({"employee", "finance", "admin", "service"})
WRITER = frozenset({"employee", "approver", "finance", "admin", "service"})
FINANCE = frozenset({"finance", "service"})
LEDGER = frozenset({"finance", "auditor", "admin", "service"})
AUDIT = frozenset({"auditor", "admin"})
ARCHIVE_EXPORT = frozenset({"auditor", "admin", "finance", "service"})
ADMIN = frozenset({"admin"})
# Own credentials are the only writes an auditor makes: logging in and out, own API tokens.
CREDENTIAL_ROUTES = {
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("POST", "/api/v1/users/{user_id}/password"),  # anyone changes their own password
}

Acts = Callable[[str, str], bool]
Body = Callable[[World, str], dict[str, Any]]


def claimant(_role: str, ownership: str) -> bool:
    return ownership == OWN


def awaited_approver(role: str, ownership: str) -> bool:
    return role == "approver" and ownership == REPORT


def rejecter(role: str, ownership: str) -> bool:
    """The awaited approver, or the entity's finance; never the claimant."""
    return ownership != OWN and (role in FINANCE or awaited_approver(role, ownership))


def a_person(role: str, _ownership: str) -> bool:
    return role != "service"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] | str
    target: str | None = None
    acts: Acts | None = None
    body: Body | None = None
    fresh_credentials: bool = False
    # Problem slugs that also mean "allowed": the request passed every access check and the
    # object's own state refused it (e.g. an archive record still under retention).
    also_ok: tuple[str, ...] = ()

    @property
    def axis(self) -> tuple[str, ...]:
        kind = (self.target or "").split(":")[0]
        if kind in {"invoice", "paper", "claim"}:
            return (OWN, REPORT, OTHER, FOREIGN)
        if kind in {"token", "substitute"}:
            return (OWN, OTHER, FOREIGN)
        if kind == "user":
            return (OTHER,)
        if kind in {"voucher", "entity", "entity-param", "record"}:
            return (OWN, FOREIGN)
        return (NONE,)


def sees(rule: Rule, role: str, ownership: str) -> bool:
    if role == "admin" or ownership in (OWN, NONE):
        return True
    kind = (rule.target or "").split(":")[0]
    if kind not in {"invoice", "paper", "claim"}:
        return False  # entity-scoped and personal objects: own only (admins everything)
    if ownership == REPORT:
        return role == "approver"
    return ownership == OTHER and role in {"finance", "auditor", "service"}


def applies(rule: Rule, role: str, ownership: str) -> bool:
    """Whether the cell exists: a report only for the approver; the service user and the
    auditor own no claims, the service user no invoices or paper vouchers. A public route is
    the same for everyone: asked once anonymously and once signed in."""
    if rule.roles == PUBLIC:
        return role in ("anonymous", "employee")
    if ownership == REPORT:
        return role == "approver"
    if ownership == OWN and (rule.target or "").split(":")[0] in {"invoice", "paper", "claim"}:
        return role not in ("service", "anonymous") and not (
            role == "auditor" and (rule.target or "").startswith("claim")
        )
    return True


def gate_refuses(rule: Rule, role: str) -> bool:
    """The request ends before any object is looked at: no credentials, or a role not admitted."""
    if rule.roles == PUBLIC:
        return False
    return role == "anonymous" or (rule.roles != ANY and role not in rule.roles)


def expected(rule: Rule, role: str, ownership: str) -> Outcome:
    if rule.roles == PUBLIC:
        return "ok"
    if role == "anonymous":
        return 401
    if rule.roles != ANY and role not in rule.roles:
        return 403
    if not sees(rule, role, ownership):
        return 404
    if rule.acts is not None and not rule.acts(role, ownership):
        return 403
    return "ok"


# --- request bodies ---------------------------------------------------------------------------
def _today() -> str:
    return business_today().isoformat()


def login_form(_w: World, _owner: str) -> dict[str, Any]:
    return {"data": {"username": _w.users["login"].username, "password": PASSWORD}}


def new_user(w: World, _owner: str) -> dict[str, Any]:
    body = {"username": f"mx-new-{next(_n)}", "display_name": "新用户", "roles": ["employee"]}
    return {"json": {**body, "entity_ids": [w.entity_id("A")], "password": "a long password"}}


def new_entity(_w: World, _owner: str) -> dict[str, Any]:
    n = 9_000_000 + next(_n)
    return {"json": {"name": f"矩阵公司{n}有限公司", "uscc": make_uscc(n)}}


def invoice_file(w: World, actor: str) -> dict[str, Any]:
    return {"files": {"file": ("i.pdf", w.invoice_pdf(actor))}}


def invoice_files(w: World, actor: str) -> dict[str, Any]:
    return {"files": [("files", ("i.pdf", w.invoice_pdf(actor)))]}


def paper_form(_w: World, _actor: str) -> dict[str, Any]:
    n = next(_n)
    return {
        "json": {
            "serial_number": f"X{n:08d}",
            "e_ticket_number": f"EX{n:020d}",
            "travel_date": "2025-09-21",
            "train_number": "D5",
            "departure_station": "杭州东",
            "arrival_station": "上海虹桥",
            "seat_class": "二等座",
            "fare": "73.00",
            "passenger_name": "张三",
            "passenger_id_masked": "1101011990****9003",
        }
    }


def json_body(body: dict[str, Any]) -> Body:
    return lambda _w, _o: {"json": body}


def item_of_owner(w: World, owner: str) -> dict[str, Any]:
    return {"json": {"invoice_id": w.invoice(owner)}}


def substitute_body(w: World, _actor: str) -> dict[str, Any]:
    body = {"substitute_id": w.uid("sub"), "starts_on": "2099-02-01", "ends_on": "2099-02-02"}
    return {"json": body}


def scan_file(_w: World, _owner: str) -> dict[str, Any]:
    return {"files": {"file": ("scan.png", PNG, "image/png")}}


def this_period(_w: World, _owner: str) -> dict[str, Any]:
    return {"params": {"period": _today()[:7]}}


def these_months(_w: World, _owner: str) -> dict[str, Any]:
    return {"params": {"from": _today()[:7], "to": _today()[:7]}}


def reassign_to_substitute(w: World, _owner: str) -> dict[str, Any]:
    return {"json": {"approver_id": str(w.users["sub"].id)}}


# Bulk calls name an id nobody has: the call is allowed (200) and the item refused as not found.
NOBODYS_ID = "00000000-0000-4000-8000-000000000000"
EMPTY_CLAIM = json_body({"title": "出差", "purpose": "客户拜访", "items": []})
ACKNOWLEDGED = json_body({"acknowledge_warnings": True})
RECEIVE = json_body({"received_on": "2025-10-01", "location": "档案室A-1"})
V = "/api/v1"

API_MATRIX: dict[tuple[str, str], Rule] = {
    ("POST", f"{V}/auth/token"): Rule(PUBLIC, body=login_form),
    ("POST", f"{V}/auth/logout"): Rule(ANY, fresh_credentials=True),
    ("GET", f"{V}/users/me"): Rule(ANY),
    ("GET", f"{V}/users"): Rule(ADMIN),
    ("POST", f"{V}/users"): Rule(ADMIN, body=new_user),
    ("GET", f"{V}/users/{{user_id}}"): Rule(ADMIN, "user"),
    ("PATCH", f"{V}/users/{{user_id}}"): Rule(
        ADMIN, "user", body=json_body({"display_name": "矩阵用户"})
    ),
    ("POST", f"{V}/users/{{user_id}}/password"): Rule(
        ANY, "user", body=json_body({"password": "matrix-password-2026"})
    ),
    ("POST", f"{V}/tokens"): Rule(ANY, body=json_body({"name": "matrix"})),
    ("DELETE", f"{V}/tokens/{{token_id}}"): Rule(ANY, "token"),
    ("GET", f"{V}/entities"): Rule(ANY),
    ("POST", f"{V}/entities"): Rule(ADMIN, body=new_entity),
    ("GET", f"{V}/entities/{{entity_id}}/claim-policy"): Rule(ANY, "entity"),
    ("PUT", f"{V}/entities/{{entity_id}}/claim-policy"): Rule(ADMIN, "entity", body=json_body({})),
    ("GET", f"{V}/audit-events"): Rule(AUDIT),
    ("GET", f"{V}/audit-events/verify"): Rule(AUDIT),
    ("POST", f"{V}/invoices"): Rule(UPLOADER, body=invoice_file),
    ("POST", f"{V}/invoice-batches"): Rule(UPLOADER, body=invoice_files),
    ("GET", f"{V}/invoices"): Rule(ANY),
    ("GET", f"{V}/invoices/{{invoice_id}}"): Rule(ANY, "invoice"),
    ("GET", f"{V}/invoices/{{invoice_id}}/files/{{rendition}}"): Rule(ANY, "invoice"),
    ("POST", f"{V}/invoices/{{invoice_id}}/deduction-confirmation"): Rule(
        FINANCE, "invoice", body=json_body({"confirmed_on": "2026-01-05"})
    ),
    ("POST", f"{V}/invoices/{{invoice_id}}/business-type"): Rule(
        FINANCE, "invoice", body=json_body({"business_type": "refund"}), also_ok=("invalid-state",)
    ),
    ("POST", f"{V}/paper-vouchers"): Rule(UPLOADER, body=paper_form),
    ("GET", f"{V}/paper-vouchers"): Rule(ANY),
    ("GET", f"{V}/paper-vouchers/{{voucher_id}}"): Rule(ANY, "paper"),
    ("POST", f"{V}/paper-vouchers/{{voucher_id}}/scan"): Rule(UPLOADER, "paper", body=scan_file),
    ("GET", f"{V}/paper-vouchers/{{voucher_id}}/scan"): Rule(ANY, "paper"),
    ("POST", f"{V}/paper-vouchers/{{voucher_id}}/receive"): Rule(FINANCE, "paper", body=RECEIVE),
    ("POST", f"{V}/claims"): Rule(WRITER, acts=a_person, body=EMPTY_CLAIM),
    ("GET", f"{V}/claims"): Rule(ANY),
    ("GET", f"{V}/claims/{{claim_id}}"): Rule(ANY, "claim:draft"),
    ("POST", f"{V}/claims/{{claim_id}}/items"): Rule(
        WRITER, "claim:draft", acts=claimant, body=item_of_owner
    ),
    ("DELETE", f"{V}/claims/{{claim_id}}/items/{{item_id}}"): Rule(
        WRITER, "claim:draft", acts=claimant
    ),
    ("PATCH", f"{V}/claims/{{claim_id}}"): Rule(
        WRITER, "claim:draft", acts=claimant, body=json_body({"title": "出差（改）"})
    ),
    ("DELETE", f"{V}/claims/{{claim_id}}"): Rule(WRITER, "claim:draft", acts=claimant),
    ("PATCH", f"{V}/claims/{{claim_id}}/items/{{item_id}}"): Rule(
        WRITER, "claim:draft", acts=claimant, body=json_body({"justification": "同事的票"})
    ),
    ("POST", f"{V}/claims/{{claim_id}}/reassign"): Rule(
        # The substitute approves in entity A only: a foreign claim refuses them (422).
        ADMIN,
        "claim:submitted",
        body=reassign_to_substitute,
        also_ok=("validation-error",),
    ),
    ("POST", f"{V}/claims/bulk-approve"): Rule(
        WRITER, body=json_body({"claim_ids": [NOBODYS_ID], "acknowledge_warnings": True})
    ),
    ("POST", f"{V}/claims/bulk-book"): Rule(FINANCE, body=json_body({"claim_ids": [NOBODYS_ID]})),
    ("POST", f"{V}/claims/bulk-pay"): Rule(
        FINANCE,
        body=json_body({"claim_ids": [NOBODYS_ID], "paid_on": _today(), "reference": "B-1"}),
    ),
    ("POST", f"{V}/invoices/bulk-deduction-confirmation"): Rule(
        FINANCE, body=json_body({"invoice_ids": [NOBODYS_ID], "confirmed_on": "2026-01-05"})
    ),
    ("POST", f"{V}/claims/{{claim_id}}/submit"): Rule(WRITER, "claim:draft", acts=claimant),
    ("POST", f"{V}/claims/{{claim_id}}/withdraw"): Rule(WRITER, "claim:submitted", acts=claimant),
    ("POST", f"{V}/claims/{{claim_id}}/approve"): Rule(
        WRITER,
        "claim:submitted",
        acts=awaited_approver,
        body=json_body({"acknowledge_warnings": True}),
    ),
    ("POST", f"{V}/claims/{{claim_id}}/reject"): Rule(
        WRITER, "claim:submitted", acts=rejecter, body=json_body({"reason": "缺少说明"})
    ),
    ("POST", f"{V}/claims/{{claim_id}}/book"): Rule(FINANCE, "claim:approved"),
    ("POST", f"{V}/claims/{{claim_id}}/pay"): Rule(
        FINANCE, "claim:booked", body=json_body({"paid_on": _today(), "reference": "BANK-1"})
    ),
    ("POST", f"{V}/approval-substitutes"): Rule(WRITER, body=substitute_body),
    ("GET", f"{V}/approval-substitutes"): Rule(ANY),
    ("DELETE", f"{V}/approval-substitutes/{{substitute_id}}"): Rule(WRITER, "substitute"),
    ("GET", f"{V}/webhooks"): Rule(ADMIN),
    ("POST", f"{V}/webhooks"): Rule(
        ADMIN, body=json_body({"url": "https://hooks.example.test/matrix"})
    ),
    ("GET", f"{V}/webhooks/{{subscription_id}}"): Rule(ADMIN, "webhook"),
    ("DELETE", f"{V}/webhooks/{{subscription_id}}"): Rule(ADMIN, "webhook"),
    ("GET", f"{V}/webhooks/{{subscription_id}}/deliveries"): Rule(ADMIN, "webhook"),
    ("POST", f"{V}/webhooks/{{subscription_id}}/deliveries/{{delivery_id}}/retry"): Rule(
        ADMIN, "delivery"
    ),
    ("GET", f"{V}/vouchers"): Rule(LEDGER, "entity-param"),
    ("GET", f"{V}/vouchers/export"): Rule(LEDGER, "entity-param", body=this_period),
    ("GET", f"{V}/vouchers/{{voucher_id}}"): Rule(LEDGER, "voucher"),
    ("POST", f"{V}/vouchers/{{voucher_id}}/reverse"): Rule(
        FINANCE, "voucher", body=json_body({"reason": "更正"})
    ),
    ("GET", f"{V}/periods"): Rule(LEDGER, "entity-param"),
    ("POST", f"{V}/periods/{{period}}/close"): Rule(FINANCE, "entity-param:open"),
    ("POST", f"{V}/periods/{{period}}/reopen"): Rule(ADMIN, "entity-param:closed"),
    ("GET", f"{V}/reports/input-vat"): Rule(LEDGER, "entity-param", body=this_period),
    ("GET", f"{V}/archive/export"): Rule(ARCHIVE_EXPORT, "entity-param", body=these_months),
    ("GET", f"{V}/archive/verify"): Rule(AUDIT),
    ("DELETE", f"{V}/archive/records/{{record_id}}"): Rule(
        ADMIN, "record", also_ok=("retention-active",)
    ),
    ("GET", "/healthz"): Rule(PUBLIC),
    ("GET", "/readyz"): Rule(PUBLIC),
    ("GET", "/metrics"): Rule(PUBLIC),
    ("GET", "/problems/{slug}"): Rule(PUBLIC),
    ("GET", "/openapi.json"): Rule(PUBLIC),
    ("GET", "/docs"): Rule(PUBLIC),
    ("GET", "/redoc"): Rule(PUBLIC),
}


def owner_for(role: str, ownership: str) -> str:
    if ownership in (OWN, NONE):
        return ACTORS.get(role, "emp")
    return {REPORT: "emp", OTHER: "peer", FOREIGN: "femp"}.get(ownership, "emp")


def resolve_path(
    w: World, rule: Rule, path: str, role: str, ownership: str
) -> tuple[str, dict[str, Any]]:
    """The concrete path and query of a cell: its target made or taken from the pool."""
    owner = owner_for(role, ownership)
    entity = "B" if ownership == FOREIGN else "A"
    kind, _, state = (rule.target or "").partition(":")
    values: dict[str, str] = {"rendition": "pdf", "slug": "not-found", "period": "2001-01"}
    params: dict[str, Any] = {}
    if kind == "invoice":
        values["invoice_id"] = w.invoice(owner)
    elif kind == "paper":
        values["voucher_id"] = w.paper(owner)
    elif kind == "claim":
        values["claim_id"], values["item_id"] = w.claim(owner, state)
    elif kind == "voucher":
        values["voucher_id"] = w.voucher(entity)
    elif kind == "record":
        values["record_id"] = w.archive_record(entity)
    elif kind == "token":
        values["token_id"] = w.api_token(owner)
    elif kind == "substitute":
        values["substitute_id"] = w.substitute(owner)
    elif kind == "entity":
        values["entity_id"] = w.entity_id(entity)
    elif kind == "user":
        values["user_id"] = str(w.users["sub"].id)
    elif kind == "entity-param":
        if ownership == FOREIGN:
            params["entity"] = w.entity_id("B")
        if state:
            values["period"] = w.period(entity, state)
    elif kind == "webhook":
        values["subscription_id"] = w.webhook()
    elif kind == "delivery":
        values["subscription_id"], values["delivery_id"] = w.delivery()
    return path.format(**values), params
