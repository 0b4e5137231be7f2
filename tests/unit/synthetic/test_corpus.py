"""Corpora are reproducible, stream one file at a time, and cover every named variant."""

from __future__ import annotations

import io
import zipfile

import pytest

from railclaim_devkit.synthetic import VARIANT_NAMES, generate_corpus, render_variant


def test_same_seed_same_corpus():
    first = [(f.filename, f.data) for f in generate_corpus(3, 12, VARIANT_NAMES)]
    again = [(f.filename, f.data) for f in generate_corpus(3, 12, VARIANT_NAMES)]
    other = [(f.filename, f.data) for f in generate_corpus(4, 12, VARIANT_NAMES)]
    assert first == again
    assert first != other


def test_variants_round_robin_with_matching_file_kinds():
    files = list(generate_corpus(5, len(VARIANT_NAMES), VARIANT_NAMES))
    magics = {".pdf": b"%PDF-", ".ofd": b"PK", ".zip": b"PK", ".xml": b"<?xml"}
    for name, item in zip(VARIANT_NAMES, files, strict=True):
        suffix = item.filename[item.filename.rindex(".") :]
        assert item.data.startswith(magics[suffix]), name
        assert item.spec.invoice_number in item.filename


def test_zip_variant_holds_pdf_and_ofd():
    item = next(generate_corpus(6, 1, ["zip"]))
    with zipfile.ZipFile(io.BytesIO(item.data)) as bundle:
        number = item.spec.invoice_number
        assert bundle.namelist() == [f"{number}.pdf", f"{number}.ofd"]


def test_overrides_apply_to_every_file():
    files = list(generate_corpus(7, 20, buyer_name="示例科技有限公司", red_letter_share=0.5))
    assert {f.spec.buyer_name for f in files} == {"示例科技有限公司"}
    assert any(f.spec.is_red_letter for f in files)
    assert not all(f.spec.is_red_letter for f in files)


def test_unknown_variant_is_refused_up_front():
    with pytest.raises(ValueError, match="unknown variants"):
        next(generate_corpus(1, 1, ["pdf", "tiff"]))
    spec = next(generate_corpus(1, 1)).spec
    with pytest.raises(ValueError, match="unknown variants"):
        render_variant(spec, "docx")
