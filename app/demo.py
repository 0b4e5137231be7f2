"""Seeds a demo company with one user per role, so a newcomer can log in and look around."""

from __future__ import annotations

import importlib
from types import ModuleType

from sqlmodel import Session, select

from app.auth.models import User
from app.auth.schemas import ProfileIn, UserCreate
from app.auth.service import create_user
from app.config import Settings
from app.entities.models import LegalEntity
from app.entities.schemas import EntityCreate
from app.entities.service import create_entity

DEMO_USCC = "91310000MA1FL0DEM0"  # a valid GB 32100-2015 check character
DEMO_ENTITY_NAME = "示例铁路差旅科技有限公司"

# (username, password, display name, roles, profile)
DEMO_USERS: list[tuple[str, str, str, list[str], dict[str, object] | None]] = [
    ("admin", "admin-demo-pass", "系统管理员", ["admin"], None),
    ("finance", "finance-demo-pass", "财务 李会计", ["finance"], None),
    # A second finance clerk: with segregation of duties on, who books a claim may not pay it.
    ("cashier", "cashier-demo-pass", "出纳 钱出纳", ["finance"], None),
    ("auditor", "auditor-demo-pass", "审计 赵审计", ["auditor"], None),
    (
        "manager",
        "manager-demo-pass",
        "部门经理 王经理",
        ["approver", "employee"],
        {"passenger_name": "王经理", "id_last4": "5678", "grade": 5, "department": "销售部"},
    ),
    (
        "employee",
        "employee-demo-pass",
        "员工 张三",
        ["employee"],
        {
            "passenger_name": "张三",
            "id_last4": "1234",
            "grade": 2,
            "department": "销售部",
            "manager": "manager",
        },
    ),
]


DEVKIT_MODULE = "railclaim_devkit.demo_invoices"
DEVKIT_HINT = "pip install -e ./devkit"


def load_devkit() -> ModuleType | None:
    """The invoice generator lives in the dev kit, which production installs leave out."""
    try:
        return importlib.import_module(DEVKIT_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name is None or not DEVKIT_MODULE.startswith(exc.name):
            raise
        return None


def seed_demo(session: Session, settings: Settings) -> list[tuple[str, str, list[str]]]:
    """Creates what is missing (running it twice is harmless) and returns the demo logins."""
    entity = session.exec(select(LegalEntity).where(LegalEntity.uscc == DEMO_USCC)).first()
    entity_id = (
        entity.id
        if entity
        else create_entity(
            session,
            EntityCreate(name=DEMO_ENTITY_NAME, uscc=DEMO_USCC, fonds_code="Z001"),
            actor=None,
            settings=settings,
        ).id
    )
    for username, password, display_name, roles, profile in DEMO_USERS:
        if session.exec(select(User).where(User.username == username)).first():
            continue
        profile_in = None
        if profile is not None:
            fields = dict(profile)
            manager = fields.pop("manager", None)
            if manager:
                fields["manager_id"] = session.exec(
                    select(User.id).where(User.username == manager)
                ).one()
            profile_in = ProfileIn.model_validate(fields)
        create_user(
            session,
            UserCreate.model_validate(
                {
                    "username": username,
                    "display_name": display_name,
                    "password": password,
                    "roles": roles,
                    "entity_ids": [entity_id],
                    "profile": profile_in,
                }
            ),
            actor=None,
            settings=settings,
        )
    entity = session.exec(select(LegalEntity).where(LegalEntity.uscc == DEMO_USCC)).one()
    devkit = load_devkit()
    if devkit is not None:
        devkit.seed_demo_invoices(session, settings, entity)
        devkit.write_try_files(session, entity, settings.storage_dir.parent / "demo-files")
    return [(u, p, r) for u, p, _d, r, _p in DEMO_USERS]
