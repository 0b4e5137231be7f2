"""Paper 报销凭证 with their scans on the web: registered with the scan in one form (or the scan
added from the list later), downloaded as stored; a file that is no scan registers nothing."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.authz_world import PNG
from tests.claims_support import API, Org, make_org, paper_body, register_paper
from tests.web.helpers import HTML, csrf_of, login

NEW = "/paper-vouchers/new"


def _form(**overrides: str) -> dict[str, str]:
    body = paper_body(**overrides)
    return {k: str(v) for k, v in body.items()}


def _post(
    client: TestClient, page_path: str, action: str, data: dict[str, str], scan: bytes | None
):
    page = client.get(page_path, headers=HTML)
    assert page.status_code == 200, page.text
    files = {"scan": ("scan.png", scan, "image/png")} if scan is not None else None
    return client.post(
        action,
        data={**data, "csrf_token": csrf_of(page)},
        files=files,
        headers=HTML,
        follow_redirects=False,
    )


def _mine(client: TestClient, org: Org) -> list[dict[str, Any]]:
    response = client.get(f"{API}/paper-vouchers", headers=org.h("employee"))
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_voucher_registers_with_its_scan_and_the_list_serves_it(
    client: TestClient, session: Session
):
    org = make_org(session)
    login(client, org.employee)
    page = client.get(NEW, headers=HTML).text
    assert 'enctype="multipart/form-data"' in page
    assert re.search(
        r'<input type="file" name="scan" accept="application/pdf,image/jpeg,image/png', page
    )
    form = _form()
    registered = _post(client, NEW, NEW, form, PNG)
    assert registered.status_code == 303, registered.text
    [voucher] = _mine(client, org)
    assert voucher["serial_number"] == form["serial_number"]
    assert voucher["scan"]["content_type"] == "image/png"
    listed = client.get(registered.headers["location"], headers=HTML).text
    assert "凭证已登记" in listed
    assert f'href="/paper-vouchers/{voucher["id"]}/scan">下载扫描件</a>' in listed
    scan = client.get(f"/paper-vouchers/{voucher['id']}/scan")
    assert scan.status_code == 200
    assert scan.content == PNG
    assert scan.headers["content-type"] == "image/png"
    assert scan.headers["content-disposition"].startswith("attachment;")


def test_a_file_that_is_no_scan_is_refused_and_nothing_is_registered(
    client: TestClient, session: Session
):
    org = make_org(session)
    login(client, org.employee)
    refused = _post(client, NEW, NEW, _form(), b"just some text, not a picture")
    assert refused.status_code == 415, refused.status_code
    assert "不支持的文件格式" in refused.text
    assert "扫描件须为 PDF、JPG 或 PNG 文件。" in refused.text
    assert "OFD" not in refused.text.split('role="alert"')[1]  # not the invoice upload's hint
    assert _mine(client, org) == []


def test_the_transition_rule_refusal_is_in_words_without_english(
    client: TestClient, session: Session
):
    org = make_org(session)
    login(client, org.employee)
    refused = _post(client, NEW, NEW, _form(travel_date="2025-10-01"), PNG)
    assert refused.status_code == 422
    assert "纸质报销凭证已于 2025-09-30 停用" in refused.text
    assert "2025 年 9 月 30 日之后乘车的行程只能凭电子发票报销。" in refused.text
    assert "Travel on" not in refused.text
    assert _mine(client, org) == []


def test_a_scan_added_later_from_the_list(client: TestClient, session: Session):
    org = make_org(session)
    voucher = register_paper(client, org)
    login(client, org.employee)
    listed = client.get("/paper-vouchers", headers=HTML).text
    action = f"/paper-vouchers/{voucher['id']}/scan"
    assert f'action="{action}" enctype="multipart/form-data"' in listed
    assert "上传扫描件" in listed
    empty = _post(client, "/paper-vouchers", action, {}, b"")
    assert empty.status_code == 415
    assert _mine(client, org)[0]["scan"] is None
    added = _post(client, "/paper-vouchers", action, {}, PNG)
    assert added.status_code == 303
    assert added.headers["location"] == f"/paper-vouchers?scanned={voucher['id']}"
    assert _mine(client, org)[0]["scan"]["content_type"] == "image/png"
    assert "扫描件已上传。" in client.get(added.headers["location"], headers=HTML).text


def test_someone_elses_voucher_scan_is_out_of_sight(client: TestClient, session: Session):
    org = make_org(session)
    voucher = register_paper(client, org)
    scan = client.post(
        f"{API}/paper-vouchers/{voucher['id']}/scan",
        files={"file": ("s.png", PNG, "image/png")},
        headers=org.h("employee"),
    )
    assert scan.status_code == 200
    login(client, org.colleague)
    assert client.get(f"/paper-vouchers/{voucher['id']}/scan").status_code == 404
    assert voucher["serial_number"] not in client.get("/paper-vouchers", headers=HTML).text
