"""User admin pages: edit a user's fields and profile, set a password, deactivate and reactivate
after a confirmation step; the user service's rules shown in words, every change audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import EmployeeProfile, User, UserEntity
from tests.api.ledger_helpers import Office, make_office
from tests.factories import PASSWORD, bearer, make_entity
from tests.web.helpers import HTML, login, post_form


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _events(session: Session, action: str, user: User) -> list[AuditEvent]:
    session.commit()  # a fresh snapshot: the app committed in its own session
    statement = select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(user.id)
    )
    return list(session.exec(statement.order_by(col(AuditEvent.seq))).all())


def _active(session: Session, user: User) -> bool:
    session.commit()
    stored = session.get(User, user.id, populate_existing=True)
    assert stored is not None
    return stored.is_active


def _edit_form(office: Office, user: User, **changes: str | list[str]) -> dict:
    form: dict[str, str | list[str]] = {
        "display_name": "张三丰",
        "email": "zhang@example.test",
        "language": "zh-CN",
        "roles": ["employee", "approver"],
        "entity_ids": [str(office.entity.id)],
        "passenger_name": "张三丰",
        "id_last4": "123x",
        "grade": "4",
        "department": "研发部",
        "cost_centre": "CC-7",
        "manager_id": str(office.manager.id),
        "employment_type": "dispatched",
    }
    form.update(changes)
    return form


def test_admin_edits_a_users_fields_and_profile(
    client: TestClient, session: Session, office: Office
):
    other = make_entity(session)
    login(client, office.admin)
    user = office.employee
    page = client.get(f"/admin/users/{user.id}", headers=HTML)
    assert page.status_code == 200
    assert 'value="张三"' in page.text  # the stored passenger name fills the form
    form = _edit_form(office, user, entity_ids=[str(office.entity.id), str(other.id)])
    saved = post_form(client, f"/admin/users/{user.id}", f"/admin/users/{user.id}", form)
    assert saved.status_code == 303, saved.text
    assert "已保存" in client.get(saved.headers["location"], headers=HTML).text
    session.commit()
    stored = session.get(User, user.id, populate_existing=True)
    assert stored is not None
    assert stored.display_name == "张三丰"
    assert sorted(stored.roles) == ["approver", "employee"]
    assert stored.email == "zhang@example.test"
    entities = session.exec(select(UserEntity.entity_id).where(UserEntity.user_id == user.id))
    assert set(entities.all()) == {office.entity.id, other.id}
    profile = session.get(EmployeeProfile, user.id, populate_existing=True)
    assert profile is not None
    assert (profile.passenger_name, profile.id_last4, profile.grade) == ("张三丰", "123X", 4)
    assert (profile.department, profile.cost_centre) == ("研发部", "CC-7")
    assert profile.manager_id == office.manager.id
    assert profile.employment_type == "dispatched"
    [event] = _events(session, "user.updated", user)
    assert event.actor_id == office.admin.id
    assert "profile" in event.details["changed"]
    assert "张三丰" not in str(event.details)  # profile values stay out of the 30-year log


def test_a_blank_profile_input_clears_the_field(
    client: TestClient, session: Session, office: Office
):
    login(client, office.admin)
    user = office.employee
    form = _edit_form(office, user, passenger_name="", id_last4="", manager_id="")
    saved = post_form(client, f"/admin/users/{user.id}", f"/admin/users/{user.id}", form)
    assert saved.status_code == 303, saved.text
    session.commit()
    profile = session.get(EmployeeProfile, user.id, populate_existing=True)
    assert profile is not None
    assert (profile.passenger_name, profile.id_last4, profile.manager_id) == (None, None, None)


def test_field_errors_keep_the_values_typed(client: TestClient, session: Session, office: Office):
    login(client, office.admin)
    user = office.employee
    form = _edit_form(office, user, id_last4="12", grade="abc", roles=[], department="市场部")
    response = post_form(client, f"/admin/users/{user.id}", f"/admin/users/{user.id}", form)
    assert response.status_code == 422
    assert response.text.count('class="field invalid"') >= 2
    assert "格式不正确" in response.text  # the ID digits
    assert "请填写整数" in response.text  # the grade
    assert "至少需要 1 项" in response.text  # no role ticked
    assert 'value="市场部"' in response.text
    assert 'value="abc"' in response.text
    session.commit()
    stored = session.get(EmployeeProfile, user.id, populate_existing=True)
    assert stored is not None
    assert stored.department != "市场部"


def test_an_admin_cannot_remove_their_own_admin_role(
    client: TestClient, session: Session, office: Office
):
    login(client, office.admin)
    me = office.admin
    form = _edit_form(office, me, roles=["employee"], display_name="管理员")
    response = post_form(client, f"/admin/users/{me.id}", f"/admin/users/{me.id}", form)
    assert response.status_code == 422
    assert "不能取消自己的管理员角色" in response.text
    assert 'value="管理员"' in response.text
    session.commit()
    stored = session.get(User, me.id, populate_existing=True)
    assert stored is not None
    assert "admin" in stored.roles


def test_deactivation_asks_first_then_ends_every_token(
    client: TestClient, session: Session, office: Office
):
    api_headers = bearer(session, office.employee)
    assert client.get("/api/v1/users/me", headers=api_headers).status_code == 200
    login(client, office.admin)
    user = office.employee
    confirm = client.get(f"/admin/users/{user.id}/deactivate", headers=HTML)
    assert confirm.status_code == 200
    assert "确认停用" in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text
    # A post without the confirmation step's field shows the step again and changes nothing.
    unconfirmed = post_form(
        client, f"/admin/users/{user.id}", f"/admin/users/{user.id}/deactivate", {}
    )
    assert unconfirmed.status_code == 200
    assert "确认停用" in unconfirmed.text
    session.commit()
    assert _active(session, user)
    done = post_form(
        client,
        f"/admin/users/{user.id}/deactivate",
        f"/admin/users/{user.id}/deactivate",
        {"confirm": "yes"},
    )
    assert done.status_code == 303
    session.commit()
    stored = session.get(User, user.id, populate_existing=True)
    assert stored is not None
    assert not stored.is_active
    assert client.get("/api/v1/users/me", headers=api_headers).status_code == 401
    [event] = _events(session, "user.updated", user)
    assert event.details["changed"]["active"] is False
    assert event.details["changed"]["tokens_revoked"] >= 1
    page = client.get(done.headers["location"], headers=HTML).text
    assert "已停用该用户" in page
    assert f"/admin/users/{user.id}/reactivate" in page
    reactivated = post_form(
        client,
        f"/admin/users/{user.id}/reactivate",
        f"/admin/users/{user.id}/reactivate",
        {"confirm": "yes"},
    )
    assert reactivated.status_code == 303
    session.commit()
    assert _active(session, user)


def test_an_admin_cannot_deactivate_themselves(
    client: TestClient, session: Session, office: Office
):
    login(client, office.admin)
    me = office.admin
    refused = post_form(
        client,
        f"/admin/users/{me.id}/deactivate",
        f"/admin/users/{me.id}/deactivate",
        {"confirm": "yes"},
    )
    assert refused.status_code == 422
    assert "不能停用自己的账户" in refused.text
    session.commit()
    assert _active(session, me)


def test_admin_sets_a_new_password(client: TestClient, session: Session, office: Office):
    login(client, office.admin)
    user = office.employee
    path = f"/admin/users/{user.id}"
    differ = post_form(
        client,
        path,
        f"{path}/password",
        {"password": "a new long password", "password_repeat": "a new long passw0rd"},
    )
    assert differ.status_code == 422
    assert "两次输入的密码不一致" in differ.text
    short = post_form(
        client, path, f"{path}/password", {"password": "short", "password_repeat": "short"}
    )
    assert short.status_code == 422
    assert "至少需要 8 个字符" in short.text
    new = "a new long password"
    done = post_form(client, path, f"{path}/password", {"password": new, "password_repeat": new})
    assert done.status_code == 303
    [event] = _events(session, "user.password-set", user)
    assert event.actor_id == office.admin.id
    other = TestClient(client.app)
    assert login(other, user, password=new).status_code == 303


def test_user_pages_are_for_admins_in_either_language(client: TestClient, office: Office):
    login(client, office.finance)
    assert client.get(f"/admin/users/{office.employee.id}", headers=HTML).status_code == 403
    client.cookies.clear()
    login(client, office.admin)
    listing = client.get("/admin/users", headers=HTML).text
    assert f'href="/admin/users/{office.employee.id}"' in listing
    english = client.get(f"/admin/users/{office.employee.id}?lang=en", headers=HTML)
    assert "Set a new password" in english.text
    assert "Deactivate user" in english.text
    unknown = client.get("/admin/users/00000000-0000-4000-8000-000000000000", headers=HTML)
    assert unknown.status_code == 404


def test_anyone_changes_their_own_password_with_the_current_one(
    client: TestClient, session: Session, office: Office
):
    login(client, office.auditor)
    page = "/account/password"
    new = "my own new password"
    wrong = post_form(
        client,
        page,
        page,
        {"current_password": "not it at all", "password": new, "password_repeat": new},
    )
    assert wrong.status_code == 422
    assert "当前密码不正确" in wrong.text
    done = post_form(
        client,
        page,
        page,
        {"current_password": PASSWORD, "password": new, "password_repeat": new},
    )
    assert done.status_code == 303
    assert "密码已修改" in client.get(done.headers["location"], headers=HTML).text  # still in
    [event] = _events(session, "user.password-changed", office.auditor)
    assert event.actor_id == office.auditor.id
    assert login(TestClient(client.app), office.auditor, password=new).status_code == 303
