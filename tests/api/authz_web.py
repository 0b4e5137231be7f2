"""The web pages' share of the authorization matrix: session cookie, role pages, sight, CSRF.

Logged out (or holding an API token in the cookie, which the web refuses), a page redirects to
the login page; a role page answers 403, an object out of sight 404; every form post without its
CSRF token is refused 403 even for a user allowed to post it.
"""

from __future__ import annotations

import itertools
import re
import weakref
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from app.kit.dates import business_today
from tests.api.authz_rules import (
    ANY,
    NOBODYS_ID,
    OTHER,
    OWN,
    PUBLIC,
    Rule,
    a_person,
    applies,
    awaited_approver,
    claimant,
    gate_refuses,
    owner_for,
    rejecter,
    resolve_path,
    these_months,
)
from tests.api.authz_rules import expected as api_expected
from tests.api.authz_world import ACTORS, PNG, World
from tests.factories import PASSWORD, make_uscc

_n = itertools.count(1)

WEB_UPLOADER = frozenset({"employee", "finance", "admin"})
WEB_FINANCE = frozenset({"finance"})
WEB_ADMIN = frozenset({"admin"})
# The API's gates as people logged in to the web have them (a service user cannot log in).
WEB_WRITER = frozenset({"employee", "approver", "finance", "admin"})
WEB_LEDGER = frozenset({"finance", "auditor", "admin"})
WEB_ARCHIVE = frozenset({"auditor", "admin", "finance"})
WEB_AUDIT = frozenset({"auditor", "admin"})
WEB_SUBSTITUTES = frozenset({"approver", "admin"})
WEB_ROLES = (*ACTORS, "anonymous")
_CSRF = re.compile(r'(?:name="csrf_token" value|data-csrf)="([^"]+)"')
# Routes answering JSON to the upload page's script: a problem, not a redirect, when logged out.
WEB_JSON = {("POST", "/web/invoices/upload")}
# Posts whose allowed answer is the form again with a refusal (422): changing one's own password
# with a wrong current one, so that no actor's sessions end in the middle of the matrix.
FORM_REFUSAL_OK = {("POST", "/account/password")}
# Login and logout change the cookie jar: they run on a throwaway client.
THROWAWAY = {("POST", "/login"), ("POST", "/logout")}

# A payment is dated on or after its booking, which the world books today.
TODAY = business_today().isoformat()


def _form(data: dict[str, str]) -> Any:
    return lambda _w, _o: {"data": data}


def _owners_invoice_ticked(w: World, owner: str) -> dict[str, Any]:
    return {"data": {"items": f"invoice:{w.invoice(owner)}"}}


def _login_form(w: World, _owner: str) -> dict[str, Any]:
    return {"data": {"username": w.users["login"].username, "password": PASSWORD}}


def _upload(w: World, owner: str) -> dict[str, Any]:
    return {"files": {"file": ("i.pdf", w.invoice_pdf(owner))}}


def _paper(_w: World, _owner: str) -> dict[str, Any]:
    n = next(_n)
    return {"data": {**PAPER_FORM, "serial_number": f"W{n:08d}", "e_ticket_number": f"EW{n:020d}"}}


def _scan(_w: World, _owner: str) -> dict[str, Any]:
    return {"files": {"scan": ("scan.png", PNG, "image/png")}}


def _user(w: World, _owner: str) -> dict[str, Any]:
    fields = {"username": f"mx-web-{next(_n)}", "display_name": "网页用户", "roles": "employee"}
    return {"data": {**fields, "entity_ids": w.entity_id("A"), "password": "a long password"}}


def _entity(_w: World, _owner: str) -> dict[str, Any]:
    n = 8_000_000 + next(_n)
    return {"data": {"name": f"网页公司{n}有限公司", "uscc": make_uscc(n)}}


def _user_edit(w: World, _owner: str) -> dict[str, Any]:
    # The target keeps what other cells rely on: an approver of entity A.
    fields = {"display_name": "矩阵代理人", "roles": "approver", "entity_ids": w.entity_id("A")}
    return {"data": {**fields, "employment_type": "contract"}}


def _web_substitute(w: World, _owner: str) -> dict[str, Any]:
    body = {"substitute_id": w.uid("sub"), "starts_on": "2099-03-01", "ends_on": "2099-03-02"}
    return {"data": body}


def _reassign(w: World, owner: str) -> dict[str, Any]:
    # An approver of the claim's own entity: entity B's claims go to B's approver.
    return {"data": {"approver_id": w.uid("fboss" if owner == "femp" else "sub")}}


PAPER_FORM = {
    "travel_date": "2025-09-22",
    "train_number": "G7",
    "departure_station": "北京南站",
    "arrival_station": "上海虹桥",
    "seat_class": "二等座",
    "fare": "553.00",
    "passenger_name": "张三",
    "passenger_id_masked": "1101011990****9003",
}

WEB_MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/login"): Rule(PUBLIC),
    ("POST", "/login"): Rule(PUBLIC, body=_login_form),
    ("POST", "/logout"): Rule(ANY),
    ("GET", "/"): Rule(ANY),
    ("GET", "/invoices/upload"): Rule(WEB_UPLOADER),
    ("POST", "/web/invoices/upload"): Rule(WEB_UPLOADER, body=_upload),
    ("GET", "/invoices"): Rule(ANY),
    ("GET", "/finance/unassigned"): Rule(WEB_FINANCE),
    ("GET", "/invoices/{invoice_id}"): Rule(ANY, "invoice"),
    ("GET", "/invoices/{invoice_id}/files/{rendition}"): Rule(ANY, "invoice"),
    ("POST", "/invoices/{invoice_id}/deduction-confirmation"): Rule(
        WEB_FINANCE, "invoice", body=_form({"confirmed_on": "2026-01-05"})
    ),
    ("GET", "/paper-vouchers"): Rule(ANY),
    ("GET", "/paper-vouchers/new"): Rule(WEB_UPLOADER),
    ("POST", "/paper-vouchers/new"): Rule(WEB_UPLOADER, body=_paper),
    ("POST", "/paper-vouchers/{voucher_id}/scan"): Rule(WEB_UPLOADER, "paper", body=_scan),
    ("GET", "/paper-vouchers/{voucher_id}/scan"): Rule(ANY, "paper"),
    ("GET", "/finance/paper-originals"): Rule(WEB_FINANCE),
    ("POST", "/paper-vouchers/{voucher_id}/receive"): Rule(
        WEB_FINANCE, "paper", body=_form({"received_on": "2025-10-02", "location": "柜3"})
    ),
    ("GET", "/admin/users"): Rule(WEB_ADMIN),
    ("POST", "/admin/users"): Rule(WEB_ADMIN, body=_user),
    ("GET", "/admin/users/{user_id}"): Rule(WEB_ADMIN, "user"),
    ("POST", "/admin/users/{user_id}"): Rule(WEB_ADMIN, "user", body=_user_edit),
    ("POST", "/admin/users/{user_id}/password"): Rule(
        WEB_ADMIN,
        "user",
        body=_form({"password": "matrix-password-2026", "password_repeat": "matrix-password-2026"}),
    ),
    # Without the confirmation field a post shows the step again: the target stays active.
    ("GET", "/admin/users/{user_id}/deactivate"): Rule(WEB_ADMIN, "user"),
    ("POST", "/admin/users/{user_id}/deactivate"): Rule(WEB_ADMIN, "user"),
    ("GET", "/admin/users/{user_id}/reactivate"): Rule(WEB_ADMIN, "user"),
    ("POST", "/admin/users/{user_id}/reactivate"): Rule(
        WEB_ADMIN, "user", body=_form({"confirm": "yes"})
    ),
    ("GET", "/admin/reassign"): Rule(WEB_ADMIN),
    ("POST", "/admin/reassign/{claim_id}"): Rule(WEB_ADMIN, "claim:submitted", body=_reassign),
    ("GET", "/approval-substitutes"): Rule(WEB_SUBSTITUTES),
    ("POST", "/approval-substitutes"): Rule(WEB_SUBSTITUTES, body=_web_substitute),
    ("POST", "/approval-substitutes/{substitute_id}/end"): Rule(WEB_SUBSTITUTES, "substitute"),
    ("GET", "/admin/entities"): Rule(WEB_ADMIN),
    ("POST", "/admin/entities"): Rule(WEB_ADMIN, body=_entity),
    ("GET", "/account/password"): Rule(ANY),
    # The wrong current password: every role reaches the rule (422 on the form), none changes.
    ("POST", "/account/password"): Rule(
        ANY,
        body=_form(
            {
                "current_password": "x",
                "password": "a long password",
                "password_repeat": "a long password",
            }
        ),
    ),
    ("GET", "/tokens"): Rule(ANY),
    ("POST", "/tokens"): Rule(ANY, body=_form({"name": "web matrix"})),
    ("POST", "/tokens/{token_id}/revoke"): Rule(ANY, "token"),
    ("GET", "/claims"): Rule(ANY),
    ("GET", "/claims/new"): Rule(WEB_WRITER),
    ("POST", "/claims/new"): Rule(
        WEB_WRITER, acts=a_person, body=_form({"title": "出差", "purpose": "客户拜访"})
    ),
    ("GET", "/claims/{claim_id}"): Rule(ANY, "claim:draft"),
    ("GET", "/claims/{claim_id}/print"): Rule(ANY, "claim:draft"),
    ("POST", "/claims/{claim_id}/items/{item_id}/remove"): Rule(
        WEB_WRITER, "claim:draft", acts=claimant
    ),
    ("GET", "/claims/{claim_id}/add"): Rule(WEB_WRITER, "claim:draft", acts=claimant),
    ("POST", "/claims/{claim_id}/edit"): Rule(
        WEB_WRITER, "claim:draft", acts=claimant, body=_form({"title": "出差（改）"})
    ),
    ("POST", "/claims/{claim_id}/items/{item_id}/justification"): Rule(
        WEB_WRITER, "claim:draft", acts=claimant, body=_form({"justification": "同事的票"})
    ),
    ("POST", "/claims/{claim_id}/delete"): Rule(
        WEB_WRITER, "claim:draft", acts=claimant, body=_form({"confirm": "yes"})
    ),
    ("POST", "/claims/{claim_id}/add"): Rule(
        WEB_WRITER, "claim:draft", acts=claimant, body=_owners_invoice_ticked
    ),
    # Bulk forms tick an id nobody has: the post is allowed and that one item refused.
    ("POST", "/approvals/approve"): Rule(
        WEB_WRITER, body=_form({"claim_ids": NOBODYS_ID, "comment": "同意"})
    ),
    ("POST", "/finance/claims/bulk-book"): Rule(WEB_FINANCE, body=_form({"claim_ids": NOBODYS_ID})),
    ("POST", "/finance/claims/bulk-pay"): Rule(
        WEB_FINANCE,
        body=_form(
            {
                "claim_ids": NOBODYS_ID,
                "paid_on": TODAY,
                "reference": "BANK-1",
            }
        ),
    ),
    ("GET", "/finance/deduction-confirmations"): Rule(WEB_FINANCE),
    ("POST", "/finance/deduction-confirmations"): Rule(
        WEB_FINANCE, body=_form({"invoice_ids": NOBODYS_ID, "confirmed_on": "2026-01-05"})
    ),
    ("POST", "/claims/{claim_id}/submit"): Rule(WEB_WRITER, "claim:draft", acts=claimant),
    ("POST", "/claims/{claim_id}/withdraw"): Rule(WEB_WRITER, "claim:submitted", acts=claimant),
    ("GET", "/approvals"): Rule(ANY),
    ("POST", "/claims/{claim_id}/approve"): Rule(
        WEB_WRITER,
        "claim:submitted",
        acts=awaited_approver,
        body=_form({"acknowledge_warnings": "on"}),
    ),
    ("POST", "/claims/{claim_id}/reject"): Rule(
        WEB_WRITER, "claim:submitted", acts=rejecter, body=_form({"reason": "缺少说明"})
    ),
    ("GET", "/finance/claims"): Rule(WEB_FINANCE),
    ("POST", "/claims/{claim_id}/book"): Rule(WEB_FINANCE, "claim:approved"),
    ("POST", "/claims/{claim_id}/pay"): Rule(
        WEB_FINANCE,
        "claim:booked",
        body=_form({"paid_on": TODAY, "reference": "BANK-1"}),
    ),
    ("GET", "/finance/vouchers"): Rule(WEB_LEDGER, "entity-param"),
    ("GET", "/finance/vouchers/export"): Rule(WEB_LEDGER, "entity-param"),
    ("GET", "/finance/vouchers/{voucher_id}"): Rule(WEB_LEDGER, "voucher"),
    ("POST", "/finance/vouchers/{voucher_id}/reverse"): Rule(
        WEB_FINANCE, "voucher", body=_form({"reason": "更正", "confirm": "yes"})
    ),
    ("GET", "/finance/periods"): Rule(WEB_LEDGER, "entity-param"),
    ("GET", "/finance/periods/{period}/close"): Rule(WEB_FINANCE, "entity-param:open"),
    ("POST", "/finance/periods/{period}/close"): Rule(
        WEB_FINANCE, "entity-param:open", body=_form({"confirm": "yes"})
    ),
    ("GET", "/finance/periods/{period}/reopen"): Rule(WEB_ADMIN, "entity-param:closed"),
    ("POST", "/finance/periods/{period}/reopen"): Rule(
        WEB_ADMIN, "entity-param:closed", body=_form({"confirm": "yes"})
    ),
    ("GET", "/finance/input-vat"): Rule(WEB_LEDGER, "entity-param"),
    ("GET", "/audit/archive"): Rule(WEB_ARCHIVE, "entity-param"),
    ("GET", "/audit/archive/export"): Rule(WEB_ARCHIVE, "entity-param", body=these_months),
    ("GET", "/audit/integrity"): Rule(WEB_AUDIT),
    ("GET", "/audit/log"): Rule(WEB_AUDIT),
    ("GET", "/admin/policy"): Rule(WEB_ADMIN),
    ("POST", "/admin/policy/{entity_id}"): Rule(
        WEB_ADMIN, "entity", body=_form({"segregation_of_duties": "on"})
    ),
    ("GET", "/admin/webhooks"): Rule(WEB_ADMIN),
    ("POST", "/admin/webhooks"): Rule(
        WEB_ADMIN, body=_form({"url": "https://hooks.example.test/web-matrix"})
    ),
    ("GET", "/admin/webhooks/{subscription_id}"): Rule(WEB_ADMIN, "webhook"),
    ("POST", "/admin/webhooks/{subscription_id}/delete"): Rule(WEB_ADMIN, "webhook"),
    ("POST", "/admin/webhooks/{subscription_id}/deliveries/{delivery_id}/retry"): Rule(
        WEB_ADMIN, "delivery"
    ),
    ("MOUNT", "/static"): Rule(PUBLIC),
    ("MOUNT", "/static/apidocs"): Rule(PUBLIC),  # the API docs' scripts and styles
}


def _client_for(w: World, role: str) -> TestClient:
    client = TestClient(w.client.app, raise_server_exceptions=False)
    if role in ("employee", "approver", "finance", "auditor", "admin", "service"):
        kind = "api" if role == "service" else "session"
        token = w.token_for(ACTORS[role], kind=kind)["Authorization"].removeprefix("Bearer ")
        client.cookies.set("railclaim_session", token)
    return client


_csrf_tokens: weakref.WeakKeyDictionary[TestClient, str] = weakref.WeakKeyDictionary()


def _csrf(client: TestClient) -> str:
    """The client's CSRF token, read from a page once: it is bound to the client's session."""
    if client not in _csrf_tokens:
        _csrf_tokens[client] = _read_csrf(client)
    return _csrf_tokens[client]


def _read_csrf(client: TestClient) -> str:
    page = client.get("/", headers={"accept": "text/html"})
    if page.status_code != 200:
        page = client.get("/login", headers={"accept": "text/html"})
    match = _CSRF.search(page.text)
    return match.group(1) if match else ""


def _matches(outcome: object, method: str, path: str, response: Response) -> bool:
    status, html = response.status_code, "text/html" in response.headers.get("content-type", "")
    if outcome == 401:
        if (method, path) in WEB_JSON:
            return status == 401
        location = response.headers.get("location", "")
        return status == 303 and location.startswith("/login")
    if outcome in (403, 404):
        return status == outcome and (html or (method, path) in WEB_JSON)
    if (method, path) in FORM_REFUSAL_OK:
        return status == 422 and html
    return status in (200, 303) if method == "POST" else status == 200


def _cell(
    w: World,
    clients: dict[str, TestClient],
    key: tuple[str, str],
    rule: Rule,
    role: str,
    ownership: str,
) -> tuple[object, Response]:
    method, path = key
    # The web takes cookies of login sessions only: an API token there is nobody.
    as_role = "anonymous" if role == "service" else role
    outcome: object = api_expected(rule, as_role, ownership)
    if rule.roles == PUBLIC and path == "/login" and method == "GET" and as_role != "anonymous":
        outcome = "ok"
    client = _client_for(w, role) if key in THROWAWAY else clients[role]
    w.start_cell(phantom=gate_refuses(rule, as_role))
    concrete, params = resolve_path(w, rule, path, role, ownership)
    if method == "MOUNT":
        method, concrete = "GET", "/static/favicon.svg"
    kwargs = rule.body(w, owner_for(role, ownership)) if rule.body else {}
    params = {**kwargs.pop("params", {}), **params}
    headers = {"accept": "text/html"}
    if method == "POST":
        headers["x-csrf-token"] = _read_csrf(client) if key in THROWAWAY else _csrf(client)
    response = client.request(
        method, concrete, headers=headers, params=params, follow_redirects=False, **kwargs
    )
    if method == "POST" and response.status_code in (200, 303):
        w.consume_used()
    if path == "/login" and method == "GET" and outcome == "ok" and as_role != "anonymous":
        outcome = "redirect"
        return outcome, response
    return outcome, response


def run_web_matrix(w: World) -> tuple[list[str], int]:
    clients = {role: _client_for(w, role) for role in WEB_ROLES}
    mismatches: list[str] = []
    cells = 0
    for key, rule in sorted(WEB_MATRIX.items(), key=lambda kv: kv[0][1]):
        for role in WEB_ROLES:
            as_role = "anonymous" if role == "service" else role
            axis = [o for o in rule.axis if applies(rule, role, o)]
            for ownership in axis[:1] if gate_refuses(rule, as_role) else axis:
                outcome, response = _cell(w, clients, key, rule, role, ownership)
                cells += 1
                ok = (
                    (response.status_code == 303)
                    if outcome == "redirect"
                    else _matches(outcome, *key, response)
                )
                if not ok:
                    mismatches.append(
                        f"{key[0]} {key[1]} as {role}/{ownership}: expected {outcome}, got "
                        f"{response.status_code} {response.headers.get('location', '')}"
                    )
    mismatches += _posts_without_csrf(w, clients)
    return mismatches, cells


CSRF_REFUSAL = re.compile("表单已失效|security token")


def _posts_without_csrf(w: World, clients: dict[str, TestClient]) -> list[str]:
    """Each form post, by a user allowed to make it, is refused without its token."""
    refused = []
    for (method, path), rule in WEB_MATRIX.items():
        if method != "POST":
            continue
        role = "anonymous" if rule.roles == PUBLIC else "admin"
        if isinstance(rule.roles, frozenset):
            role = sorted(rule.roles)[0]
        client = _client_for(w, role)
        w.start_cell()
        concrete, _ = resolve_path(w, rule, path, role, OWN if role != "anonymous" else OTHER)
        response = client.post(
            concrete, data={"x": "1"}, headers={"accept": "text/html"}, follow_redirects=False
        )
        # The CSRF refusal names the stale form (zh page title, en detail); a role or login
        # refusal says neither.
        if response.status_code != 403 or not CSRF_REFUSAL.search(response.text):
            refused.append(f"POST {path} without CSRF as {role}: got {response.status_code}")
    return refused
