"""Requests fuzzing found to crash the API or corrupt its data: each is now a typed refusal."""

from __future__ import annotations

import random
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.invoices.models import Invoice
from app.ledger.models import Period
from railclaim_devkit.synthetic import random_spec, render_12306_bundle, render_pdf, render_xbrl
from railclaim_devkit.synthetic.mutate import with_corrupt_deflate
from tests.factories import bearer, invoice_spec, make_entity, make_user


def _refused(client: TestClient, headers: dict[str, str], name: str, data: bytes) -> None:
    response = client.post("/api/v1/invoices", files={"file": (name, data)}, headers=headers)
    body = response.json()
    if response.status_code == 200:  # a ZIP answers like a batch: one result per member
        [result] = body["results"]
        assert result["outcome"] == "rejected", body
        body = result["problem"]
    else:
        assert response.status_code == 422, response.text
    assert body["type"] == "/problems/unreadable-file"


def test_damaged_files_are_refused_not_crashed(client: TestClient, session: Session) -> None:
    entity = make_entity(session)
    headers = bearer(session, make_user(session, "employee", entity=entity))
    spec = random_spec(random.Random(9), buyer_name=entity.name, buyer_tax_id=entity.uscc)
    bundle = with_corrupt_deflate(render_12306_bundle([spec]))
    _refused(client, headers, "bundle.zip", bundle)
    _refused(client, headers, "batch.pdf", bundle)  # the name never decides the type
    xml = render_xbrl(spec).replace(b'encoding="UTF-8"', b'encoding="UTQ-8"', 1)
    _refused(client, headers, "invoice.xml", xml)
    session.commit()
    assert session.exec(select(func.count()).select_from(Invoice)).one() == 0


# Arabic-Indic digits: `\d` matches them, so "٢٠٢٥-01" passed the YYYY-MM patterns.
EASTERN_YEAR = "\u0662\u0660\u0662\u0665"


def test_months_in_other_digits_are_invalid(client: TestClient, session: Session) -> None:
    """A period of non-ASCII digits reached a Content-Disposition header: a 500 (latin-1)."""
    entity = make_entity(session)
    auditor = bearer(session, make_user(session, "auditor", entity=entity))
    finance = bearer(session, make_user(session, "finance", entity=entity))
    month = f"{EASTERN_YEAR}-01"
    for path, params, headers in (
        ("/api/v1/archive/export", {"from": month, "to": month}, auditor),
        ("/api/v1/vouchers/export", {"period": month}, finance),
        ("/api/v1/reports/input-vat", {"period": month}, finance),
    ):
        response = client.get(path, params=params, headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["type"] == "/problems/validation-error"


def test_period_paths_are_exactly_yyyy_mm(client: TestClient, session: Session) -> None:
    """`$` also matched before a final newline: "2025-11\\n" opened a period of its own."""
    entity = make_entity(session)
    finance = bearer(session, make_user(session, "finance", entity=entity))
    for period in ("2025-11%0A", f"{EASTERN_YEAR}-11"):
        response = client.post(f"/api/v1/periods/{period}/close", headers=finance)
        assert response.status_code == 422, (period, response.text)
    session.commit()
    assert session.exec(select(func.count()).select_from(Period)).one() == 0


def test_the_schema_documents_problem_responses(client: TestClient) -> None:
    """schemathesis: every 422 came as problem+json while the schema promised FastAPI's JSON."""
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "application/problem+json" in responses["default"]["content"], (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], code


def test_reopening_a_period_of_no_entity_is_not_found(client: TestClient, session: Session) -> None:
    """An admin's ?entity=<unknown id> reached the period insert: a foreign-key 500."""
    entity = make_entity(session)
    admin = bearer(session, make_user(session, "admin", entity=entity))
    ghost = "3f1d1a1e-0000-4000-8000-000000000001"
    response = client.post(
        "/api/v1/periods/2001-01/reopen", params={"entity": ghost}, headers=admin
    )
    assert response.status_code == 404, response.text
    assert response.json()["type"] == "/problems/not-found"


def test_departure_time_is_documented_as_sent(client: TestClient, session: Session) -> None:
    """The schema said format "time" (RFC 3339: an offset is required); "23:07:00" has none."""
    entity = make_entity(session)
    employee = make_user(session, "employee", entity=entity, passenger_name="张三", id_last4="1234")
    spec = invoice_spec(entity, passenger=employee, session=session)
    created = client.post(
        "/api/v1/invoices",
        files={"file": ("i.pdf", render_pdf(spec))},
        headers=bearer(session, employee),
    )
    assert created.status_code == 201, created.text
    sent = created.json()["departure_time"]
    documented = client.get("/openapi.json").json()["components"]["schemas"]["InvoiceOut"]
    [as_string, _null] = documented["properties"]["departure_time"]["anyOf"]
    assert "format" not in as_string
    assert re.fullmatch(as_string["pattern"].strip("^$"), sent), sent


def test_a_policy_whose_grades_cross_is_invalid(client: TestClient, session: Session) -> None:
    """A first-class grade above the default business-class grade passed the schema (the check
    ran only on a business grade that was sent) and broke the table's CHECK: a 500."""
    entity = make_entity(session)
    admin = bearer(session, make_user(session, "admin", entity=entity))
    url = f"/api/v1/entities/{entity.id}/claim-policy"
    response = client.put(url, json={"first_class_min_grade": 99}, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "business_class_min_grade"
    assert client.get(url, headers=admin).json()["first_class_min_grade"] != 99


def test_search_text_with_control_characters_is_invalid(
    client: TestClient, session: Session
) -> None:
    """PostgreSQL refuses NUL in text: ?q=%00 reached the query and answered 500."""
    entity = make_entity(session)
    admin = bearer(session, make_user(session, "admin", entity=entity))
    for path, name in (
        ("/api/v1/invoices", "q"),
        ("/api/v1/audit-events", "action"),
        ("/api/v1/audit-events", "actor"),
        ("/api/v1/audit-events", "object_id"),
    ):
        response = client.get(path, params={name: "a\x00b"}, headers=admin)
        assert response.status_code == 422, (path, name, response.text)
        assert response.json()["type"] == "/problems/validation-error"
    assert client.get("/api/v1/invoices", params={"q": "张三"}, headers=admin).status_code == 200


def test_web_pages_refuse_the_same_inputs(client: TestClient, session: Session) -> None:
    """The web's archive page had the API's two-Query month, its searches the NUL."""
    entity = make_entity(session)
    auditor = make_user(session, "auditor", entity=entity)
    client.cookies.set("railclaim_session", bearer(session, auditor)["Authorization"][7:])
    html = {"accept": "text/html"}
    month = f"{EASTERN_YEAR}-01"
    for path, params in (
        ("/audit/archive/export", {"from": month, "to": month}),
        ("/audit/log", {"action": "a\x00b"}),
        ("/invoices", {"q": "a\x00b"}),
    ):
        response = client.get(path, params=params, headers=html)
        assert response.status_code == 422, (path, response.status_code)


def test_a_login_name_with_a_nul_is_unknown(client: TestClient, session: Session) -> None:
    """POST /auth/token with username "\\x00" reached PostgreSQL, which refuses NUL: a 500."""
    response = client.post("/api/v1/auth/token", data={"username": "a\x00", "password": "x"})
    assert response.status_code == 401, response.text
    assert response.json()["type"] == "/problems/invalid-credentials"
