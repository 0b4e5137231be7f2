"""The policy page edits the entity's cabin-letter table beside the grades."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.invoices.models import CabinTable
from tests.api.ledger_helpers import make_office
from tests.web.helpers import HTML, login, post_form

POLICY = {
    "approval_threshold": "5000.00",
    "first_class_min_grade": "3",
    "business_class_min_grade": "6",
    "late_submission_days": "180",
}


def test_admin_edits_the_cabin_letters(client: TestClient, session: Session):
    office = make_office(session)
    login(client, office.admin)
    page = client.get("/admin/policy", headers=HTML)
    assert 'name="cabin_classes.business" value="JCDIZR"' in page.text  # the defaults
    form = {
        **POLICY,
        "cabin_classes.economy": "ybm",
        "cabin_classes.business": "JC",
        "cabin_classes.first": "",
    }
    saved = post_form(client, "/admin/policy", f"/admin/policy/{office.entity.id}", form)
    assert saved.status_code == 303, saved.text
    session.commit()
    row = session.exec(select(CabinTable).where(CabinTable.entity_id == office.entity.id)).one()
    assert (row.economy, row.business, row.first) == ("YBM", "JC", "")
    assert (
        'name="cabin_classes.economy" value="YBM"' in client.get("/admin/policy", headers=HTML).text
    )

    wrong = {**form, "cabin_classes.first": "J1"}
    response = post_form(client, "/admin/policy", f"/admin/policy/{office.entity.id}", wrong)
    assert response.status_code == 422
    assert "舱位字母须为 A–Z" in response.text
