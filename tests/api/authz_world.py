"""One populated organisation per engine for the authorization matrix, with objects made on demand.

Two legal entities; in A a user per role (each holding exactly that role), a peer employee, the
managers that approve them and a second finance user who books; in B an employee, an approver and
finance. Objects (invoices, paper vouchers, claims in each state, vouchers, tokens, substitutes,
webhooks) are made lazily through the API and pooled; a cell whose write succeeded consumes the
pooled objects it touched, so the next cell gets a fresh one in the state it needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.archive.models import ArchiveRecord
from app.auth.models import User
from app.auth.tokens import mint_token
from app.claims.models import ApprovalSubstitute
from app.entities.models import LegalEntity
from app.kit.dates import business_today
from app.webhooks.models import WebhookDelivery
from railclaim_devkit.synthetic import random_spec, render_pdf
from tests.factories import make_entity, make_user

API = "/api/v1"
# A tiny PNG: the scan endpoint recognises images by their signature.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
_serial = itertools.count(1)
_periods = itertools.count(1)

# Actor role -> the user acting in that role (each holds exactly that role).
ACTORS = {
    "employee": "emp",
    "approver": "appr",
    "finance": "fin",
    "auditor": "aud",
    "admin": "adm",
    "service": "svc",
}
# (name, roles, entity, manager, passenger name, ID last 4)
_PEOPLE: tuple[tuple[str, tuple[str, ...], str, str | None, str | None, str | None], ...] = (
    ("boss", ("approver",), "A", None, "王总", "9001"),
    ("appr", ("approver",), "A", "boss", "李经理", "9002"),
    ("emp", ("employee",), "A", "appr", "张三", "9003"),
    ("peer", ("employee",), "A", "boss", "赵六", "9004"),
    ("fin", ("finance",), "A", "boss", "钱会计", "9005"),
    ("fin2", ("finance",), "A", None, None, None),
    ("aud", ("auditor",), "A", None, "孙审计", "9006"),
    ("adm", ("admin",), "A", "boss", "周管理", "9007"),
    ("svc", ("finance",), "A", None, None, None),
    ("sub", ("approver",), "A", None, None, None),
    ("login", ("employee",), "A", None, None, None),
    ("fboss", ("approver",), "B", None, "吴总", "9101"),
    ("femp", ("employee",), "B", "fboss", "郑七", "9102"),
    ("ffin", ("finance",), "B", None, None, None),
)
_UPLOADER_ROLES = {"employee", "finance", "admin"}
_WRITER_ROLES = {"employee", "approver", "finance", "admin"}


@dataclass
class World:
    client: TestClient
    session: Session
    entities: dict[str, LegalEntity]
    users: dict[str, User]
    home: dict[str, str]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    _pool: dict[tuple[str, ...], Any] = field(default_factory=dict)
    _used: list[tuple[str, ...]] = field(default_factory=list)
    # Set for cells the role gate refuses: they name ids of nothing, so that a route which looked
    # an object up before checking the role (404 for some ids, 403 for others) shows up.
    phantom: bool = False

    # --- credentials -----------------------------------------------------------------------
    def token_for(self, name: str, *, kind: str = "session") -> dict[str, str]:
        self.session.commit()
        _row, plaintext = mint_token(
            self.session,
            user=self.users[name],
            kind=kind,
            name="matrix",
            lifetime=dt.timedelta(hours=2),
        )
        self.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}

    def uid(self, name: str) -> str:
        return str(self.users[name].id)

    def entity_id(self, key: str) -> str:
        return str(self.entities[key].id)

    # --- the pool ----------------------------------------------------------------------------
    def pooled(self, key: tuple[str, ...], make: Callable[[], Any], width: int = 1) -> Any:
        """The pooled object under `key`, made first if missing; noted as used by this cell."""
        if self.phantom:
            ids = tuple(str(uuid.uuid4()) for _ in range(width))
            return ids[0] if width == 1 else ids
        self._used.append(key)
        if key not in self._pool:
            self._pool[key] = make()
        return self._pool[key]

    def start_cell(self, *, phantom: bool = False) -> None:
        self._used.clear()
        self.phantom = phantom

    def consume_used(self) -> None:
        """The cell changed what it touched: later cells get fresh objects."""
        for key in self._used:
            self._pool.pop(key, None)
        self._used.clear()

    # --- requests used to arrange --------------------------------------------------------------
    def call(self, method: str, path: str, who: str, expect: int, **kwargs: Any) -> Any:
        response = self.client.request(method, API + path, headers=self.headers[who], **kwargs)
        assert response.status_code == expect, (method, path, who, response.text)
        return response.json() if response.content else None

    def invoice_pdf(self, owner: str) -> bytes:
        entity = self.entities[self.home[owner]]
        profile = _PROFILES.get(owner) or _PROFILES["emp"]
        travel = business_today() - dt.timedelta(days=10)
        spec = random_spec(
            random.Random(next(_serial) * 7919 + 13),
            buyer_name=entity.name,
            buyer_tax_id=entity.uscc,
            business_type="sale",
            passenger_name=profile[0],
            passenger_id_masked=f"1101011990****{profile[1]}",
            travel_date=travel,
            issue_date=travel + dt.timedelta(days=1),
            seat_class="二等座",
        )
        return render_pdf(spec)

    def upload_for(self, owner: str) -> str:
        """A fresh invoice owned by `owner` (uploaded by them, or by their finance)."""
        roles = set(self.users[owner].roles)
        uploader = owner if roles & _UPLOADER_ROLES and owner != "svc" else self._finance(owner)
        body = self.call(
            "POST",
            "/invoices",
            uploader,
            201,
            files={"file": ("i.pdf", self.invoice_pdf(owner))},
            data={"owner": self.uid(owner)},
        )
        return str(body["id"])

    def _finance(self, owner: str) -> str:
        return "fin" if self.home[owner] == "A" else "ffin"

    def _manager(self, owner: str) -> str:
        return next(p[3] for p in _PEOPLE if p[0] == owner) or "boss"

    # --- pooled objects -------------------------------------------------------------------------
    def invoice(self, owner: str) -> str:
        return str(self.pooled(("invoice", owner), lambda: self.upload_for(owner)))

    def paper(self, owner: str) -> str:
        def make() -> str:
            roles = set(self.users[owner].roles)
            registrar = owner if roles & _UPLOADER_ROLES else self._finance(owner)
            profile = _PROFILES.get(owner) or _PROFILES["emp"]
            n = next(_serial)
            body = {
                "serial_number": f"M{n:08d}",
                "e_ticket_number": f"EM{n:020d}",
                "travel_date": "2025-09-20",
                "train_number": "G1",
                "departure_station": "北京南站",
                "arrival_station": "上海虹桥",
                "seat_class": "二等座",
                "fare": "553.00",
                "passenger_name": profile[0],
                "passenger_id_masked": f"1101011990****{profile[1]}",
                "owner": self.uid(owner),
            }
            voucher = self.call("POST", "/paper-vouchers", registrar, 201, json=body)
            scan = {"file": ("scan.png", PNG, "image/png")}
            self.call("POST", f"/paper-vouchers/{voucher['id']}/scan", registrar, 200, files=scan)
            return str(voucher["id"])

        return str(self.pooled(("paper", owner), make))

    def claim(self, owner: str, state: str) -> tuple[str, str]:
        """(claim id, item id) of a claim of `owner` in `state`: draft … booked."""
        made = self.pooled(("claim", owner, state), lambda: self._claim(owner, state), width=2)
        return str(made[0]), str(made[1])

    def _claim(self, owner: str, state: str) -> tuple[str, str]:
        assert set(self.users[owner].roles) & _WRITER_ROLES, owner
        assert owner != "svc", "a system token claims no expenses"
        invoice_id = self.upload_for(owner)
        body = {"title": "出差", "purpose": "客户拜访", "items": [{"invoice_id": invoice_id}]}
        claim = self.call("POST", "/claims", owner, 201, json=body)
        claim_id, item_id = str(claim["id"]), str(claim["items"][0]["id"])
        steps = ("draft", "submitted", "approved", "booked")
        for step in steps[1 : steps.index(state) + 1]:
            self._advance(owner, claim_id, step)
        return claim_id, item_id

    def _advance(self, owner: str, claim_id: str, step: str) -> None:
        if step == "submitted":
            self.call("POST", f"/claims/{claim_id}/submit", owner, 200)
        elif step == "approved":
            ack = {"acknowledge_warnings": True}
            self.call("POST", f"/claims/{claim_id}/approve", self._manager(owner), 200, json=ack)
        else:
            booker = "fin2" if self.home[owner] == "A" else "ffin"
            self.call("POST", f"/claims/{claim_id}/book", booker, 200)

    def voucher(self, entity: str) -> str:
        def make() -> str:
            owner = "peer" if entity == "A" else "femp"
            claim_id, _ = self._claim(owner, "booked")
            claim = self.call("GET", f"/claims/{claim_id}", "adm", 200)
            return str(claim["voucher_ids"][0])

        return str(self.pooled(("voucher", entity), make))

    def archive_record(self, entity: str) -> str:
        """The archive record of a booked voucher of `entity` (booking archives it)."""
        voucher_id = self.voucher(entity)
        if self.phantom:
            return voucher_id
        self.session.commit()
        record = self.session.exec(
            select(ArchiveRecord).where(ArchiveRecord.voucher_id == uuid.UUID(voucher_id))
        ).one()
        return str(record.id)

    def period(self, entity: str, status: str) -> str:
        """A period of long ago in `status`: closing and reopening it blocks no booking."""

        def make() -> str:
            period = f"{2000 + next(_periods)}-01"
            if status == "closed":
                closer = "fin" if entity == "A" else "ffin"
                self.call("POST", f"/periods/{period}/close", closer, 200)
            return period

        if self.phantom:
            return "2001-01"
        return str(self.pooled(("period", entity, status), make))

    def api_token(self, owner: str) -> str:
        def make() -> str:
            self.session.commit()
            row, _ = mint_token(
                self.session, user=self.users[owner], kind="api", name="target", lifetime=None
            )
            self.session.commit()
            return str(row.id)

        return str(self.pooled(("token", owner), make))

    def substitute(self, owner: str) -> str:
        def make() -> str:
            # Far in the future, so it never lets anyone act for `owner` during the matrix.
            row = ApprovalSubstitute(
                approver_id=self.users[owner].id,
                substitute_id=self.users["sub"].id,
                starts_on=dt.date(2099, 1, 1),
                ends_on=dt.date(2099, 1, 31),
                created_by_id=self.users["adm"].id,
            )
            self.session.commit()
            self.session.add(row)
            self.session.commit()
            return str(row.id)

        return str(self.pooled(("substitute", owner), make))

    def webhook(self) -> str:
        def make() -> str:
            body = {"url": "https://hooks.example.test/railclaim", "event_types": []}
            return str(self.call("POST", "/webhooks", "adm", 201, json=body)["id"])

        return str(self.pooled(("webhook",), make))

    def delivery(self) -> tuple[str, str]:
        webhook_id = self.webhook()
        if self.phantom:
            return webhook_id, str(uuid.uuid4())

        def make() -> str:
            self.upload_for("emp")  # invoice.created fans out to the subscription
            page = self.call("GET", f"/webhooks/{webhook_id}/deliveries", "adm", 200)
            delivery_id = uuid.UUID(page["items"][0]["id"])
            # Only a dead delivery is retried by hand; ten failed attempts are not the point here.
            self.session.commit()
            self.session.execute(
                update(WebhookDelivery)
                .where(col(WebhookDelivery.id) == delivery_id)
                .values(status="dead")
            )
            self.session.commit()
            return str(delivery_id)

        return webhook_id, str(self.pooled(("delivery", webhook_id), make))


_PROFILES = {p[0]: (p[4], p[5]) for p in _PEOPLE if p[4] and p[5]}


def build_world(client: TestClient, session: Session) -> World:
    entities = {"A": make_entity(session), "B": make_entity(session)}
    users: dict[str, User] = {}
    home: dict[str, str] = {}
    for name, roles, entity, manager, passenger, last4 in _PEOPLE:
        users[name] = make_user(
            session,
            *roles,
            entity=entities[entity],
            username=f"mx-{name}-{uuid.uuid4().hex[:6]}",
            passenger_name=passenger,
            id_last4=last4,
            manager=users[manager] if manager else None,
            grade=3 if passenger else None,
            is_service=name == "svc",
        )
        home[name] = entity
    world = World(client=client, session=session, entities=entities, users=users, home=home)
    for name in users:
        world.headers[name] = world.token_for(name, kind="api" if name == "svc" else "session")
    return world
