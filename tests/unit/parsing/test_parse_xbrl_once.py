"""The issuer's XBRL is parsed once: discovery hands its facts on to the reading (issue 14)."""

from __future__ import annotations

import random
from xml.etree.ElementTree import Element

import pytest

from app.invoices.parsing import parse_file, xbrl
from railclaim_devkit.synthetic import random_spec, render_ofd, render_pdf
from railclaim_devkit.synthetic.real_variants import REAL_VARIANTS, render_real


def _count_rai_parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every XML text parsed that declares the rai taxonomy (OFD parts are other XML)."""
    parsed: list[bytes] = []
    real_fromstring = xbrl.fromstring

    def counting(data: bytes, **kwargs: bool) -> Element:
        if b"xbrl.mof.gov.cn/taxonomy/" in data:
            parsed.append(data)
        return real_fromstring(data, **kwargs)

    monkeypatch.setattr(xbrl, "fromstring", counting)
    return parsed


@pytest.mark.parametrize("cross_check", [True, False])
@pytest.mark.parametrize("render", [render_pdf, render_ofd], ids=["pdf", "ofd"])
def test_the_xbrl_of_a_pdf_or_ofd_is_parsed_once(
    monkeypatch: pytest.MonkeyPatch, render: object, cross_check: bool
) -> None:
    assert callable(render)
    data = render(random_spec(random.Random(14)))
    parsed = _count_rai_parses(monkeypatch)
    [invoice] = parse_file(data, cross_check=cross_check)
    assert invoice.source == "xbrl"
    assert len(parsed) == 1
    assert invoice.xbrl == parsed[0]


@pytest.mark.parametrize("variant", sorted(REAL_VARIANTS))
def test_every_reported_variant_parses_its_xbrl_once(
    monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    data = render_real(random_spec(random.Random(15)), variant, "pdf", with_xbrl=True)
    parsed = _count_rai_parses(monkeypatch)
    [invoice] = parse_file(data)
    assert (invoice.source, len(parsed)) == ("xbrl", 1)
