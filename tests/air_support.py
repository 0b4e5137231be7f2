"""Air e-itineraries for the workflow tests: real files of the air generator, uploaded as PDFs.

Each upload is DOMAIN §5's sample itinerary (合计 480.00 = 票价 330.28 + 燃油 64.22 + 税 35.50 +
基金 50.00) bought by the org's entity for one of its people, with a number and an e-ticket of
its own; a test changes the flights, the dates or the passenger by keyword. The parser reads it
like any upload (embedded XBRL and the face by position), nothing is stood in for.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import EmployeeProfile
from railclaim_devkit.synthetic import (
    AirInvoiceSpec,
    AirSegment,
    domain_sample_air_spec,
    render_air_pdf,
)
from tests.claims_support import API, Org, days_ago, verify

_numbers = itertools.count(1)


def air_segment(travel_date: dt.date, **overrides: Any) -> AirSegment:
    """The sample's flight CA1831 北京首都 → 上海虹桥 in Y at 08:30, on `travel_date`."""
    fields: dict[str, Any] = {
        "carrier": "中国国际航空",
        "flight_number": "CA1831",
        "cabin": "Y",
        "travel_date": travel_date,
        "departure_time": dt.time(8, 30),
        "departure_airport": "北京首都",
        "arrival_airport": "上海虹桥",
    }
    fields.update(overrides)
    return AirSegment(**fields)


def flight_spec(
    session: Session, org: Org, *, who: str = "employee", **overrides: Any
) -> AirInvoiceSpec:
    """The sample itinerary for `who` (an Org attribute), bought by the org's entity, issued the
    day after its first flight, with a valid number and an e-ticket no other upload has."""
    travel = overrides.pop("travel_date", days_ago(10))
    issue = overrides.pop("issue_date", travel + dt.timedelta(days=1))
    person = getattr(org, who)
    profile = session.get(EmployeeProfile, person.id)
    assert profile is not None
    assert profile.passenger_name
    assert profile.id_last4
    sequence = next(_numbers)
    fields: dict[str, Any] = {
        # 2-digit year, region 11 (北京), channel 1, then a sequence: the structure checks hold.
        "invoice_number": f"{issue.year % 100:02d}111{sequence + 10**14:015d}",
        "issue_date": issue,
        "segments": (air_segment(travel),),
        "e_ticket_number": f"999{sequence:010d}",
        "passenger_name": profile.passenger_name,
        "passenger_id_masked": f"1101011990****{profile.id_last4}",
        "buyer_name": org.entity.name,
        "buyer_tax_id": org.entity.uscc,
    }
    fields.update(overrides)
    return domain_sample_air_spec(**fields)


class AirFiles:
    """Builds air itinerary files and uploads them; the real parser reads every one."""

    def register(
        self, session: Session, org: Org, **overrides: Any
    ) -> tuple[bytes, AirInvoiceSpec]:
        """A flight of the org's employee (or `who`): the file's bytes and the spec it shows."""
        spec = flight_spec(session, org, **overrides)
        return render_air_pdf(spec), spec

    def upload(
        self,
        client: TestClient,
        session: Session,
        org: Org,
        *,
        who: str = "employee",
        uploader: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        data, spec = self.register(session, org, who=who, **kw)
        response = client.post(
            f"{API}/invoices",
            files={"file": (f"{spec.invoice_number}.pdf", data)},
            headers=org.headers[uploader or who],
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        assert body["kind"] == "air"
        return body


def clean_flight(client: TestClient, session: Session, org: Org, air: AirFiles, **kw: Any) -> str:
    """An uploaded, verified, policy-clean flight of the employee; its id."""
    invoice = air.upload(client, session, org, **kw)
    verify(session, invoice["id"])
    return str(invoice["id"])
