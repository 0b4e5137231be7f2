"""Approval substitutes page: an approver names one for a date range and ends it; the service's
refusals (not an approver, not of every entity, dates reversed) shown in words on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.claims.models import ApprovalSubstitute
from app.kit.dates import business_today
from tests.api.ledger_helpers import Office, make_office
from tests.factories import make_entity, make_user
from tests.web.helpers import HTML, csrf_of, login, post_form

PAGE = "/approval-substitutes"


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _dates(days: int = 5) -> dict[str, str]:
    today = business_today()
    return {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days)).isoformat()}


def _rows(session: Session) -> list[ApprovalSubstitute]:
    session.commit()
    return list(session.exec(select(ApprovalSubstitute)).all())


def _actions(session: Session) -> list[str]:
    session.commit()
    return [e.action for e in session.exec(select(AuditEvent)).all()]


def test_an_approver_names_a_substitute_and_ends_it(
    client: TestClient, session: Session, office: Office
):
    deputy = make_user(session, "approver", entity=office.entity)
    login(client, office.manager)
    page = client.get(PAGE, headers=HTML)
    assert page.status_code == 200
    assert f'<option value="{deputy.id}"' in page.text  # offered: an approver of the entity
    named = post_form(client, PAGE, PAGE, {"substitute_id": str(deputy.id), **_dates()})
    assert named.status_code == 303, named.text
    [row] = _rows(session)
    assert (row.approver_id, row.substitute_id) == (office.manager.id, deputy.id)
    assert row.ends_on == business_today() + dt.timedelta(5)
    assert "approval-substitute.created" in _actions(session)
    listing = client.get(named.headers["location"], headers=HTML).text
    assert "已指定审批代理人" in listing
    assert "生效中" in listing
    ended = post_form(client, PAGE, f"{PAGE}/{row.id}/end", {})
    assert ended.status_code == 303
    assert _rows(session) == []
    assert "approval-substitute.deleted" in _actions(session)


def test_refusals_are_shown_in_words_beside_the_field(
    client: TestClient, session: Session, office: Office
):
    elsewhere = make_user(session, "approver", entity=make_entity(session))
    login(client, office.manager)
    dates = _dates()
    not_approver = post_form(
        client, PAGE, PAGE, {"substitute_id": str(office.employee.id), **dates}
    )
    assert not_approver.status_code == 422
    assert "代理人须具有审批人角色" in not_approver.text
    assert f'value="{dates["ends_on"]}"' in not_approver.text  # the dates typed stay
    outside = post_form(client, PAGE, PAGE, {"substitute_id": str(elsewhere.id), **dates})
    assert outside.status_code == 422
    assert "代理人须在审批人所属的每个法人实体任职" in outside.text
    english = client.post(
        f"{PAGE}?lang=en",
        data={
            "substitute_id": str(elsewhere.id),
            **dates,
            "csrf_token": csrf_of(client.get(PAGE, headers=HTML)),
        },
    )
    assert english.status_code == 422
    assert "must work for every legal entity of the approver" in english.text
    assert _rows(session) == []


def test_reversed_dates_and_a_missing_substitute(
    client: TestClient, session: Session, office: Office
):
    deputy = make_user(session, "approver", entity=office.entity)
    login(client, office.manager)
    today = business_today()
    reversed_range = {
        "substitute_id": str(deputy.id),
        "starts_on": (today + dt.timedelta(3)).isoformat(),
        "ends_on": today.isoformat(),
    }
    response = post_form(client, PAGE, PAGE, reversed_range)
    assert response.status_code == 422
    assert "结束日期不能早于开始日期" in response.text
    assert f'<option value="{deputy.id}" selected>' in response.text
    missing = post_form(client, PAGE, PAGE, _dates())
    assert missing.status_code == 422
    assert "必填" in missing.text
    assert _rows(session) == []


def test_substitutes_page_is_for_approvers_and_admins(
    client: TestClient, session: Session, office: Office
):
    login(client, office.employee)
    assert client.get(PAGE, headers=HTML).status_code == 403
    client.cookies.clear()
    # Another approver's arrangement is out of sight: ending it is a 404, not a 403.
    row = ApprovalSubstitute(
        approver_id=office.manager.id,
        substitute_id=make_user(session, "approver", entity=office.entity).id,
        starts_on=business_today(),
        ends_on=business_today(),
        created_by_id=office.manager.id,
    )
    session.add(row)
    session.commit()
    login(client, make_user(session, "approver", entity=office.entity))
    assert post_form(client, PAGE, f"{PAGE}/{row.id}/end", {}).status_code == 404
    assert len(_rows(session)) == 1


def test_an_admin_names_one_for_an_approver_and_a_deactivated_one_is_refused(
    client: TestClient, session: Session, office: Office
):
    deputy = make_user(session, "approver", entity=office.entity)
    gone = make_user(session, "approver", entity=office.entity)
    gone.is_active = False
    session.add(gone)
    session.commit()
    login(client, office.admin)
    page = client.get(PAGE, headers=HTML).text
    assert 'name="approver_id"' in page  # admins choose whose substitute it is
    assert f'<option value="{gone.id}"' not in page  # not offered
    refused = post_form(
        client,
        PAGE,
        PAGE,
        {"approver_id": str(office.manager.id), "substitute_id": str(gone.id), **_dates()},
    )
    assert refused.status_code == 422
    assert "该用户不存在或已停用" in refused.text
    named = post_form(
        client,
        PAGE,
        PAGE,
        {"approver_id": str(office.manager.id), "substitute_id": str(deputy.id), **_dates()},
    )
    assert named.status_code == 303
    [row] = _rows(session)
    assert (row.approver_id, row.substitute_id, row.created_by_id) == (
        office.manager.id,
        deputy.id,
        office.admin.id,
    )
