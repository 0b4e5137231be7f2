"""Uploading invoices: created, renditions, duplicates, refusals, buyer checks and stored bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.config import Settings
from app.invoices import batch_members, service
from app.invoices.models import Invoice, InvoiceFile
from app.webhooks.models import WebhookEvent
from railclaim_devkit.synthetic import (
    PdfVariant,
    render_12306_bundle,
    render_ofd,
    render_pdf,
    render_xbrl,
    render_zip,
)
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user
from tests.fixtures.hostile import HOSTILE_FILES


def upload(client: TestClient, headers: dict[str, str], name: str, data: bytes, **form: str):
    return client.post("/api/v1/invoices", files={"file": (name, data)}, data=form, headers=headers)


def stored_files(settings: Settings) -> list[Path]:
    root = settings.storage_dir
    return [p for p in root.glob("??/??/*") if p.is_file()] if root.exists() else []


def count(session: Session, model: type) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def world(session: Session):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    return entity, employee, bearer(session, employee)


def test_employee_uploads_a_pdf(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    pdf = render_pdf(spec)
    response = upload(client, headers, f"{spec.invoice_number}.pdf", pdf)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["invoice_number"] == spec.invoice_number
    assert body["fare"] == f"{spec.fare:.2f}"
    assert body["tax_amount"] == f"{spec.tax_amount:.2f}"
    assert body["departure_station"] == spec.departure_station
    assert body["arrival_station"] == spec.arrival_station
    assert body["travel_date"] == spec.travel_date.isoformat()
    assert body["source"] == "xbrl"
    assert body["status"] == "available"
    assert body["verification"] == "unverified"
    assert body["owner"] == str(employee.id)
    assert body["entity"] == str(entity.id)
    assert body["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert [r["kind"] for r in body["renditions"]] == ["pdf"]
    assert [w["code"] for w in body["warnings"]] == []


def test_same_bytes_again_is_a_duplicate(client: TestClient, session: Session, world):
    entity, employee, headers = world
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    first = upload(client, headers, "a.pdf", pdf).json()
    again = upload(client, headers, "b.pdf", pdf)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/duplicate-invoice"
    assert again.json()["existing_invoice_id"] == first["id"]
    assert count(session, Invoice) == 1


def test_same_number_other_bytes_same_kind_is_a_duplicate(
    client: TestClient, session: Session, world
):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    upload(client, headers, "a.pdf", render_pdf(spec))
    redrawn = upload(client, headers, "b.pdf", render_pdf(spec, PdfVariant(frame=False)))
    assert redrawn.status_code == 409
    assert redrawn.json()["type"] == "/problems/duplicate-invoice"


def test_ofd_of_a_stored_pdf_is_a_second_rendition(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    created = upload(client, headers, "x.pdf", render_pdf(spec)).json()
    ofd = render_ofd(spec)
    added = upload(client, headers, "x.ofd", ofd)
    assert added.status_code == 200
    assert added.json()["id"] == created["id"]
    assert [r["kind"] for r in added.json()["renditions"]] == ["pdf", "ofd"]
    download = client.get(f"/api/v1/invoices/{created['id']}/files/ofd", headers=headers)
    assert download.content == ofd
    assert download.headers["etag"] == f'"{hashlib.sha256(ofd).hexdigest()}"'


def test_xml_upload_reads_the_xbrl(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    response = upload(client, headers, "rai.xml", render_xbrl(spec))
    assert response.status_code == 201
    assert response.json()["source"] == "xbrl"
    assert response.json()["renditions"][0]["kind"] == "xml"


def test_a_12306_zip_gives_one_invoice_with_two_renditions(
    client: TestClient, session: Session, world
):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    response = upload(client, headers, "12306.zip", render_12306_bundle([spec]))
    assert response.status_code == 200
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == ["created", "rendition-added"]
    assert body["counts"]["created"] == 1
    invoice = body["results"][1]["invoice"]
    assert sorted(r["kind"] for r in invoice["renditions"]) == ["ofd", "pdf"]
    assert count(session, Invoice) == 1
    assert count(session, InvoiceFile) == 2


def test_batch_items_stand_alone(client: TestClient, session: Session, world):
    entity, employee, headers = world
    good = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    files = [
        ("files", ("good.pdf", good)),
        ("files", ("again.pdf", good)),
        ("files", ("junk.pdf", b"%PDF-1.7 garbage")),
        ("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)),
    ]
    response = client.post("/api/v1/invoice-batches", files=files, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == [
        "created",
        "duplicate",
        "rejected",
        "rejected",
    ]
    assert body["results"][2]["problem"]["type"] == "/problems/unreadable-file"
    assert body["results"][3]["problem"]["type"] == "/problems/unsupported-format"
    assert body["counts"] == {"created": 1, "rendition-added": 0, "duplicate": 1, "rejected": 2}


EXPECTED_STATUS = {
    "unreadable-file": 422,
    "encrypted-file": 422,
    "not-a-travel-invoice": 422,
    "unsupported-format": 415,
    "too-large": 413,
}


@pytest.mark.parametrize("hostile", HOSTILE_FILES, ids=lambda h: h.name)
def test_hostile_files_are_refused_and_nothing_is_stored(
    client: TestClient, session: Session, settings: Settings, world, hostile
):
    _entity, _employee, headers = world
    response = upload(client, headers, hostile.name, hostile.data)
    if response.headers["content-type"] == "application/json":
        # A ZIP is answered as a batch: its single result carries the refusal.
        results = response.json()["results"]
        assert [r["outcome"] for r in results] == ["rejected"] * len(results)
        assert results[0]["problem"]["type"] == f"/problems/{hostile.expected_code}"
    else:
        assert response.status_code == EXPECTED_STATUS[hostile.expected_code], response.text
        assert response.headers["content-type"] == "application/problem+json"
        expected = hostile.expected_code
        if response.status_code == 413 and len(hostile.data) > settings.max_upload_bytes:
            expected = "too-large"
        assert response.json()["type"] == f"/problems/{expected}"
    assert count(session, Invoice) == 0
    assert stored_files(settings) == []


def test_buyer_must_be_one_of_the_uploaders_entities(client: TestClient, session: Session, world):
    entity, _employee, headers = world
    other = make_entity(session)
    foreign = upload(client, headers, "f.pdf", render_pdf(invoice_spec(other)))
    assert foreign.status_code == 422
    assert foreign.json()["type"] == "/problems/buyer-mismatch"
    renamed = upload(
        client, headers, "r.pdf", render_pdf(invoice_spec(entity, buyer_name="别家公司"))
    )
    assert renamed.status_code == 422
    assert renamed.json()["type"] == "/problems/buyer-mismatch"
    personal = upload(
        client,
        headers,
        "p.pdf",
        render_pdf(invoice_spec(entity, buyer_name="张三", buyer_tax_id=None)),
    )
    assert personal.status_code == 422
    assert personal.json()["type"] == "/problems/buyer-mismatch"
    assert count(session, Invoice) == 0


def test_passenger_other_than_uploader_is_a_warning(client: TestClient, session: Session, world):
    entity, _employee, headers = world
    spec = invoice_spec(entity, passenger_name="李四", passenger_id_masked="1101011990****9999")
    body = upload(client, headers, "l.pdf", render_pdf(spec)).json()
    assert "passenger-not-uploader" in [w["code"] for w in body["warnings"]]


def test_another_employees_invoice_is_not_found(client: TestClient, session: Session, world):
    entity, employee, headers = world
    created = upload(
        client,
        headers,
        "a.pdf",
        render_pdf(invoice_spec(entity, passenger=employee, session=session)),
    ).json()
    colleague = make_employee(session, entity, name="王五", last4="5555")
    other_headers = bearer(session, colleague)
    assert client.get(f"/api/v1/invoices/{created['id']}", headers=other_headers).status_code == 404
    files = client.get(f"/api/v1/invoices/{created['id']}/files/pdf", headers=other_headers)
    assert files.status_code == 404
    listed = client.get("/api/v1/invoices", headers=other_headers).json()
    assert listed["items"] == []


def test_auditors_cannot_upload(client: TestClient, session: Session, world):
    entity, _employee, _headers = world
    auditor = make_user(session, "auditor", entity=entity)
    response = upload(client, bearer(session, auditor), "a.pdf", render_pdf(invoice_spec(entity)))
    assert response.status_code == 403


def test_missing_file_field_is_a_422(client: TestClient, world):
    _entity, _employee, headers = world
    response = client.post("/api/v1/invoices", data={"x": "y"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_a_new_invoice_enqueues_its_webhook_event(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    created = upload(client, headers, "a.pdf", render_pdf(spec)).json()
    upload(client, headers, "a.ofd", render_ofd(spec))  # a rendition is not a new invoice
    session.commit()
    events = session.exec(select(WebhookEvent)).all()
    assert [e.event_type for e in events] == ["invoice.created"]
    assert created["id"] in events[0].body
    assert spec.passenger_name not in events[0].body


@pytest.mark.parametrize("parse_from", [10_000, 1], ids=["parse-here", "parse-in-2nd-process"])
def test_a_batch_is_taken_in_by_groups_with_each_member_on_its_own(
    client: TestClient, session: Session, settings: Settings, world, monkeypatch, parse_from
):
    # Groups of 3, so twins, refusals and renditions fall inside a group and across groups.
    monkeypatch.setattr(service, "GROUP_SIZE", 3)
    monkeypatch.setattr(batch_members, "PARALLEL_PARSE_FROM", parse_from)
    entity, employee, headers = world
    specs = [invoice_spec(entity, passenger=employee, session=session) for _ in range(4)]
    stranger = make_entity(session)
    members = [
        ("a.pdf", render_pdf(specs[0])),
        ("a-again.pdf", render_pdf(specs[0])),  # same group: the earlier twin wins
        ("b.pdf", render_pdf(specs[1])),
        ("other-buyer.pdf", render_pdf(invoice_spec(stranger))),  # refused mid-group
        ("b.ofd", render_ofd(specs[1])),  # next group: joins b as a rendition
        ("c.pdf", render_pdf(specs[2])),
        ("junk.pdf", b"%PDF-1.7 garbage"),
        ("a-late.pdf", render_pdf(specs[0])),  # a later group: a duplicate of a stored file
        ("d.pdf", render_pdf(specs[3])),
    ]
    response = upload(client, headers, "batch.zip", render_zip(members))
    assert response.status_code == 200
    body = response.json()
    assert [(r["member"], r["outcome"]) for r in body["results"]] == [
        ("a.pdf", "created"),
        ("a-again.pdf", "duplicate"),
        ("b.pdf", "created"),
        ("other-buyer.pdf", "rejected"),
        ("b.ofd", "rendition-added"),
        ("c.pdf", "created"),
        ("junk.pdf", "rejected"),
        ("a-late.pdf", "duplicate"),
        ("d.pdf", "created"),
    ]
    assert body["results"][3]["problem"]["type"] == "/problems/buyer-mismatch"
    assert count(session, Invoice) == 4
    assert count(session, InvoiceFile) == 5
    # Every created invoice got its event; every stored row has its bytes on disk.
    assert count(session, WebhookEvent) == 4
    on_disk = {p.name for p in stored_files(settings)}
    assert {f.sha256 for f in session.exec(select(InvoiceFile)).all()} <= on_disk


def test_two_file_parts_are_refused_not_one_dropped(client: TestClient, session: Session, world):
    entity, employee, headers = world
    first, second = (
        render_pdf(invoice_spec(entity, passenger=employee, session=session)) for _ in range(2)
    )
    parts = [("file", ("a.pdf", first)), ("file", ("b.pdf", second))]

    response = client.post("/api/v1/invoices", files=parts, headers=headers)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "file"
    assert "/api/v1/invoice-batches" in response.json()["errors"][0]["message"]
    assert count(session, Invoice) == 0


@pytest.mark.parametrize(
    "members",
    [[], [("dir/", b"")], [("__MACOSX/._a.pdf", b"x"), (".DS_Store", b"x")]],
    ids=["empty", "a-folder", "unpacker-metadata"],
)
def test_a_zip_without_an_invoice_is_one_rejected_result(
    client: TestClient, world, members: list[tuple[str, bytes]]
):
    _entity, _employee, headers = world
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    files = [("files", ("bundle.zip", buffer.getvalue()))]

    response = client.post("/api/v1/invoice-batches", files=files, headers=headers)

    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert (result["file"], result["outcome"]) == ("bundle.zip", "rejected")
    assert result["problem"]["type"] == "/problems/unreadable-file"
    assert result["problem"]["detail"] == "the ZIP file holds no invoice"
