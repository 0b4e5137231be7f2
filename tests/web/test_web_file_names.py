"""Stored file names lose control and bidi-override characters, in pages and downloads (#15.9)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.kit.filenames import clean_filename
from railclaim_devkit.synthetic import render_pdf, render_zip
from tests.factories import bearer, invoice_spec, make_employee, make_entity
from tests.web.helpers import HTML, login

# U+202E makes "票据\u202efdp.exe" display as "票据exe.pdf"; the others hide text as quietly.
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\x01\x1f\x7f\x85"
DISGUISED = "票据\u202efdp.exe"


_B = "b0undary"


def _raw_multipart(filename: str, data: bytes) -> bytes:
    """A part whose name carries raw controls (httpx and browsers would percent-encode some)."""
    head = f'--{_B}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n\r\n'
    return head.encode() + data + f"\r\n--{_B}--\r\n".encode()


def _has_hidden(text: str) -> bool:
    return any(char in text for char in HIDDEN)


@pytest.mark.parametrize("bundled", [False, True], ids=["file", "zip-member"])
def test_a_bidi_override_in_a_file_name_reaches_neither_page_nor_header(
    client: TestClient, session: Session, bundled: bool
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    name = f"{DISGUISED}{HIDDEN}.pdf"
    filename, data = ("mail.zip", render_zip([(name, pdf)])) if bundled else (name, pdf)
    response = client.post(
        "/api/v1/invoices",
        content=_raw_multipart(filename, data),
        headers={
            **bearer(session, employee),
            "content-type": f"multipart/form-data; boundary={_B}",
        },
    )
    assert response.status_code in (200, 201), response.text
    assert not _has_hidden(str(response.json()))
    body = response.json()
    invoice = body["results"][0]["invoice"] if bundled else body
    if bundled:
        assert body["results"][0]["member"] == "票据fdp.exe.pdf"
    [rendition] = invoice["renditions"]
    assert rendition["filename"] == "票据fdp.exe.pdf"

    download = client.get(rendition["url"], headers=bearer(session, employee))
    disposition = unquote(download.headers["content-disposition"])
    assert disposition == "attachment; filename*=UTF-8''票据fdp.exe.pdf"
    login(client, employee)
    page = client.get(f"/invoices/{invoice['id']}", headers=HTML)
    assert page.status_code == 200
    assert "票据fdp.exe.pdf" in page.text
    assert not _has_hidden(page.text)
    web_download = client.get(f"/invoices/{invoice['id']}/files/pdf")
    assert not _has_hidden(unquote(web_download.headers["content-disposition"]))


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("a\u202eb.pdf", "ab.pdf"),
        ("dir/sub\\x\u2066y\u2069.ofd", "xy.ofd"),
        ("\u200f\u200e\u061c", "invoice.pdf"),
        ("tab\there\n.xml", "tabhere.xml"),
        ("emoji 👨\u200d👩.pdf", "emoji 👨\u200d👩.pdf"),  # a joiner is not a control
        ("x" * 300, "x" * 255),
    ],
)
def test_clean_filename(name: str, cleaned: str) -> None:
    assert clean_filename(name, "invoice.pdf") == cleaned
