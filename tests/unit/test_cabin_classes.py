"""A printed cabin reads as its class: by the entity's letter table, else by the name an
itinerary or its XBRL may print instead, so no spelling slips past the cabin rule."""

from __future__ import annotations

import dataclasses
import random

import pytest

from app.invoices.cabins import DEFAULT_CABIN_LETTERS
from app.invoices.parsing import parse_file
from railclaim_devkit.synthetic import random_air_spec, render_air_pdf
from railclaim_devkit.synthetic.pdf import PdfVariant


@pytest.mark.parametrize(
    ("printed", "cabin_class"),
    [
        ("Y", "economy"), ("YB", "economy"), ("Y舱", "economy"), ("Y/经济舱", "economy"),
        ("经济舱", "economy"), ("超级经济舱", "economy"), ("公务舱", "business"),
        ("商务舱", "business"), ("头等舱", "first"), ("F", "first"), ("舱", None), ("", None),
    ],
)  # fmt: skip
def test_a_printed_cabin_reads_as_its_class(printed: str, cabin_class: str | None) -> None:
    assert DEFAULT_CABIN_LETTERS.cabin_class(printed) == cabin_class


@pytest.mark.parametrize("printed", ["经济舱", "Y舱", "Y/经济舱", "YB", "头等舱"])
def test_a_flight_row_printing_its_cabin_by_name_is_read(printed: str) -> None:
    spec = random_air_spec(random.Random(4))
    flight = dataclasses.replace(spec.segments[0], cabin=printed)
    spec = dataclasses.replace(spec, segments=(flight, *spec.segments[1:]))
    [invoice] = parse_file(render_air_pdf(spec, PdfVariant(with_xbrl=False)), "air.pdf")
    assert invoice.segments[0].cabin == printed
