"""The BagIt export: a valid bag whose totals equal the ledger's, audited, for the right roles."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import bagit
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.archive.documents import safe_name
from app.archive.service.export import start_export, stream_export
from app.audit.models import AuditEvent
from app.config import Settings
from tests.api.archive_helpers import (
    bag_info,
    booked_claim,
    export,
    flip_byte,
    records,
    unzip,
)
from tests.api.test_archive_verify import drop_archive_triggers
from tests.api.test_audit import run_sql
from tests.api.test_auth import assert_problem
from tests.api.test_cli import cli_env, run  # noqa: F401  (fixture)
from tests.factories import bearer, make_user


def test_the_export_is_a_valid_bag_whose_totals_equal_the_ledger(
    client: TestClient, session: Session, tmp_path: Path
):
    archived = booked_claim(client, session, pay=True)
    bag_dir = unzip(export(client, archived.auditor), tmp_path)
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError naming what is wrong
    assert bag.is_valid()

    vouchers = client.get("/api/v1/vouchers", headers=archived.office.headers["finance"]).json()
    ledger_total = sum((Decimal(v["total"]) for v in vouchers["items"]), Decimal("0.00"))
    info = bag_info(bag_dir)
    entity = archived.office.entity
    assert info["Source-Organization"] == entity.name
    assert info["Entity-USCC"] == entity.uscc
    assert (info["Period-From"], info["Period-To"]) == ("2026-01", "2026-12")
    assert info["Voucher-Count"] == str(len(vouchers["items"])) == "2"
    assert Decimal(info["Voucher-Total"]) == ledger_total == Decimal("1106.00")
    assert (info["Booking-Total"], info["Payment-Total"], info["Reversal-Total"]) == (
        "553.00",
        "553.00",
        "0.00",
    )
    assert info["Invoice-Count"] == "1"
    assert info["Integrity-Failures"] == "0"

    references = [r.reference for r in records(session)]
    assert sorted(p.name for p in (bag_dir / "data").iterdir()) == references
    with (bag_dir / "index.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row_type"], r["reference"], r["amount"]) for r in rows] == [
        ("voucher", references[0], "553.00"),
        ("invoice", references[0], "553.00"),
        ("voucher", references[1], "553.00"),
    ]
    assert rows[1]["document_number"] == archived.invoice["invoice_number"]
    assert "index.csv" in (bag_dir / "tagmanifest-sha256.txt").read_text()

    event = session.exec(select(AuditEvent).where(AuditEvent.action == "archive.exported")).one()
    assert event.entity_id == entity.id
    assert event.details == {"from": "2026-01", "to": "2026-12"}
    assert (info["Audit-Chain-Head-Seq"], info["Audit-Chain-Head-MAC"]) == (
        str(event.seq),
        event.mac,
    )
    assert info["Exporter"] == event.actor_username


def test_a_period_range_selects_vouchers_and_an_empty_range_is_an_empty_valid_bag(
    client: TestClient, session: Session, tmp_path: Path
):
    archived = booked_claim(client, session)
    bag_dir = unzip(export(client, archived.auditor, to="2026-10"), tmp_path)
    bagit.Bag(str(bag_dir)).validate()
    assert bag_info(bag_dir)["Voucher-Count"] == "0"
    assert list((bag_dir / "data").iterdir()) == []


def test_an_altered_stored_file_makes_the_exported_bag_invalid(
    client: TestClient, session: Session, settings: Settings, tmp_path: Path
):
    archived = booked_claim(client, session)
    (record,) = records(session)
    flip_byte(settings, record.metadata_sha256)
    bag_dir = unzip(export(client, archived.auditor), tmp_path)
    assert bag_info(bag_dir)["Integrity-Failures"] == "1"
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


@pytest.mark.parametrize(
    ("tamper", "failure"),
    [
        # A file row pointed at other stored bytes: the bag's manifest would match them.
        (
            "UPDATE archive_file SET sha256 = (SELECT sha256 FROM archive_file WHERE path = "
            "'voucher.json'), size = (SELECT size FROM archive_file WHERE path = 'voucher.json') "
            "WHERE role = 'invoice-original'",
            "the files are not the ones its sealed metadata lists",
        ),
        ("DELETE FROM archive_file WHERE role = 'invoice-original'", "the files are not the ones"),
        ("UPDATE archive_record SET total = total + 1", "not the one the audit chain sealed"),
        (
            "UPDATE archive_record SET retention_until = '2027-12-31'",
            "not the one the audit chain sealed",
        ),
        # The metadata's size row raised past the read-ahead, beside a file pointed elsewhere:
        # the listing is still read and compared.
        (
            "UPDATE archive_file SET size = 5000000 WHERE path = 'metadata.json'; "
            "UPDATE archive_file SET sha256 = (SELECT sha256 FROM archive_file WHERE path = "
            "'voucher.json'), size = (SELECT size FROM archive_file WHERE path = 'voucher.json') "
            "WHERE role = 'invoice-original'",
            "the files are not the ones its sealed metadata lists",
        ),
        (
            "UPDATE archive_file SET sha256 = (SELECT sha256 FROM archive_file WHERE path = "
            "'voucher.json'), size = (SELECT size FROM archive_file WHERE path = 'voucher.json') "
            "WHERE path = 'metadata.json'",
            "the metadata file is not the one the record names",
        ),
        # A size row edited: the bag's Payload-Oxum would be computed from it.
        (
            "UPDATE archive_file SET size = size + 1 WHERE role = 'invoice-original'",
            "the files are not the ones its sealed metadata lists",
        ),
    ],
    ids=[
        "file-pointed-elsewhere",
        "file-row-deleted",
        "total",
        "retention",
        "metadata-size",
        "metadata-row",
        "file-size",
    ],
)
def test_a_record_not_as_sealed_is_an_integrity_failure_of_the_bag(
    client: TestClient, session: Session, tmp_path: Path, tamper: str, failure: str
):
    archived = booked_claim(client, session)
    drop_archive_triggers(session)
    run_sql(session, *tamper.split("; "))
    failures: list[str] = []

    bag_dir = unzip(export(client, archived.auditor), tmp_path)
    with Session(client.app.state.engine) as reader:  # the same through the CLI's entry
        plan = start_export(
            reader, entity_id=archived.office.entity.id, period_from="2026-01",
            period_to="2026-12", actor=None, key=b"k" * 32,
        )  # fmt: skip
    with Session(client.app.state.engine) as reader:
        b"".join(stream_export(reader, store=client.app.state.store, plan=plan, failures=failures))

    assert bag_info(bag_dir)["Integrity-Failures"] == "1"
    [named] = failures
    assert failure in named
    assert named.startswith(f"{safe_name(records(session)[0].reference)}/: ")
    if "size" not in tamper:  # with a size edited the Payload-Oxum is off as well
        bagit.Bag(str(bag_dir)).validate()  # the bag itself is consistent: only the seal tells


def test_export_is_audited_even_when_nothing_is_read(client: TestClient, session: Session):
    archived = booked_claim(client, session)
    with client.stream(
        "GET",
        "/api/v1/archive/export",
        params={"from": "2026-11", "to": "2026-11"},
        headers=archived.auditor,
    ) as response:
        assert response.status_code == 200
    session.commit()
    actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.seq))).all()
    assert actions[-1] == "archive.exported"


@pytest.mark.parametrize("role", ["employee", "approver"])
def test_only_auditors_finance_and_admins_export(client: TestClient, session: Session, role: str):
    archived = booked_claim(client, session)
    params = {"from": "2026-01", "to": "2026-12", "entity": str(archived.office.entity.id)}
    headers = bearer(session, make_user(session, role, entity=archived.office.entity))
    refused = client.get("/api/v1/archive/export", params=params, headers=headers)
    assert refused.status_code == 403
    assert_problem(refused.json(), 403, "forbidden")
    assert client.get("/api/v1/archive/export", params=params).status_code == 401
    for allowed in ("finance", "admin"):
        headers = bearer(session, make_user(session, allowed, entity=archived.office.entity))
        assert (
            client.get("/api/v1/archive/export", params=params, headers=headers).status_code == 200
        )
    stranger = bearer(session, make_user(session, "auditor"))  # works for no entity
    hidden = client.get("/api/v1/archive/export", params=params, headers=stranger)
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-12", "to": "2026-01"},
        {"from": "2026-13", "to": "2026-12"},
        {"from": "2026-01"},
        {"from": "2026/01", "to": "2026-02"},
        {"from": "2026-1", "to": "2026-12"},  # in order as text, but not a month
        {"from": "２０２６-01", "to": "2026-12"},
    ],
)
def test_bad_ranges_are_validation_problems(
    client: TestClient, session: Session, params: dict[str, str]
):
    archived = booked_claim(client, session)
    response = client.get("/api/v1/archive/export", params=params, headers=archived.auditor)
    assert response.status_code == 422
    assert_problem(response.json(), 422, "validation-error")
    session.commit()
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "archive.exported")).all() == []
    )


@pytest.mark.usefixtures("cli_env")
def test_the_cli_writes_the_same_bag(
    client: TestClient,
    session: Session,
    tmp_path: Path,
):
    archived = booked_claim(client, session)
    output = tmp_path / "archive.zip"
    code, out = run(
        "archive",
        "export",
        "--entity",
        archived.office.entity.uscc,
        "--from",
        "2026-11",
        "--to",
        "2026-11",
        "--output",
        str(output),
    )
    assert code == 0, out
    bag_dir = unzip(output.read_bytes(), tmp_path / "unzipped")
    bagit.Bag(str(bag_dir)).validate()
    info = bag_info(bag_dir)
    assert (info["Voucher-Count"], info["Exporter"]) == ("1", "railclaim-cli")
    assert info["Audit-Chain-Head-MAC"] in out
    code, out = run(
        "archive",
        "export",
        "--entity",
        "91110000MA0000000X",
        "--from",
        "2026-11",
        "--to",
        "2026-11",
        "--output",
        str(output),
    )
    assert code == 1
    assert "No legal entity" in out


def test_a_file_row_moved_to_another_invoice_is_a_failure_and_stays_out_of_the_index(
    client: TestClient, session: Session, tmp_path: Path
):
    archived = booked_claim(client, session)
    other = booked_claim(client, session)
    drop_archive_triggers(session)
    run_sql(
        session,
        "UPDATE archive_file SET invoice_id = (SELECT id FROM invoice WHERE invoice_number = :n)"
        " WHERE role = 'invoice-original' AND invoice_id = (SELECT id FROM invoice"
        " WHERE invoice_number = :mine)",
        n=other.invoice["invoice_number"], mine=archived.invoice["invoice_number"],
    )  # fmt: skip

    bag_dir = unzip(export(client, archived.auditor), tmp_path)

    assert int(bag_info(bag_dir)["Integrity-Failures"]) >= 1
    with (bag_dir / "index.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["row_type"] == "invoice"]
    # Another office's invoice: never listed in this export's index under this record's folder.
    assert other.invoice["invoice_number"] not in [r["document_number"] for r in rows]


@pytest.mark.usefixtures("cli_env")
def test_the_cli_export_of_unreadable_rows_is_one_error_line_and_no_zip(
    client: TestClient, session: Session, tmp_path: Path
):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("only SQLite keeps text in a number column")
    archived = booked_claim(client, session)
    run_sql(session, "UPDATE invoice SET fare = 'abc'")
    output = tmp_path / "archive.zip"

    code, out = run(
        "archive", "export", "--entity", archived.office.entity.uscc, "--from", "2026-11",
        "--to", "2026-11", "--output", str(output),
    )  # fmt: skip

    assert code == 1, out
    assert "the export stopped on data it cannot read" in out
    assert "Traceback" not in out
    assert not output.exists()
    assert list(tmp_path.glob("*.partial")) == []
