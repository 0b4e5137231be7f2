"""Air e-itineraries for the workflow tests, read from real files of the generator.

Until the air generator lands, an air itinerary's upload is a railway PDF of the generator whose
parse is replaced by the air reading the test describes (`AirFiles.register`): the service
takes in exactly what the parser would hand it, bytes and renditions included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.invoices import service
from app.invoices.parsing import ParsedInvoice, parse_file
from app.invoices.parsing.model import FlightSegment
from railclaim_devkit.synthetic import render_pdf
from tests.claims_support import API, Org, days_ago, trip_spec, verify

_tickets = itertools.count(1)


def air_segment(travel_date: dt.date, **overrides: Any) -> FlightSegment:
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
    return FlightSegment(**fields)


def air_reading(rail: ParsedInvoice, *, segments: tuple[FlightSegment, ...], **overrides: Any):
    """`rail` read as the air itinerary of DOMAIN §5's sample (合计 480.00, tax 35.50)."""
    first = segments[0]
    fields: dict[str, Any] = {
        "kind": "air",
        "train_number": None,
        "carriage": None,
        "seat": None,
        "seat_class": None,
        "segments": segments,
        "travel_date": first.travel_date,
        "departure_time": first.departure_time,
        "departure_station": first.departure_airport,
        "arrival_station": first.arrival_airport,
        "fare": Decimal("330.28"),
        "fuel_surcharge": Decimal("64.22"),
        "amount_excluding_tax": Decimal("394.50"),
        "tax_rate": Decimal("0.09"),
        "tax_amount": Decimal("35.50"),
        "civil_aviation_fund": Decimal("50.00"),
        "other_taxes": Decimal("0.00"),
        "total_amount": Decimal("480.00"),
        "domestic": True,
        "e_ticket_number": f"999{next(_tickets):010d}",
        "findings": (),
    }
    fields.update(overrides)
    return dataclasses.replace(rail, **fields)


class AirFiles:
    """Stands in for the air parser on registered bytes; every other file parses as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._readings: dict[bytes, ParsedInvoice] = {}
        real = service.parse_file

        def parse(data: bytes, filename: str = "", **kwargs: Any) -> list[ParsedInvoice]:
            if data in self._readings:
                return [self._readings[data]]
            return real(data, filename, **kwargs)

        monkeypatch.setattr(service, "parse_file", parse)

    def register(self, session: Session, org: Org, **overrides: Any) -> tuple[bytes, Any]:
        """A flight of the org's employee (or `who`): the file's bytes and their air reading."""
        who = overrides.pop("who", "employee")
        travel = overrides.pop("travel_date", days_ago(10))
        segments = overrides.pop("segments", None) or (air_segment(travel),)
        spec = trip_spec(session, org, who=who, travel_date=travel)
        data = render_pdf(spec)
        rail = parse_file(data, f"{spec.invoice_number}.pdf")[0]
        reading = air_reading(rail, segments=segments, **overrides)
        self._readings[data] = reading
        return data, reading

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
        data, reading = self.register(session, org, who=who, **kw)
        response = client.post(
            f"{API}/invoices",
            files={"file": (f"{reading.invoice_number}.pdf", data)},
            headers=org.headers[uploader or who],
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def clean_flight(client: TestClient, session: Session, org: Org, air: AirFiles, **kw: Any) -> str:
    """An uploaded, verified, policy-clean flight of the employee; its id."""
    invoice = air.upload(client, session, org, **kw)
    verify(session, invoice["id"])
    return str(invoice["id"])
