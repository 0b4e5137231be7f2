"""Decompression bombs cost about the limits, measured as a process's peak RSS (issue 15.1).

tracemalloc sees only Python's allocator; zlib's output buffers and pypdf's copies are what the
attack grew, so each bomb is parsed in a fresh interpreter and its peak resident size compared
before and after. The bounds are generous: the point is "tens of MiB, not GiBs".
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from app.invoices.parsing import ParseError, ParseLimits, UnreadableFile, parse_file
from railclaim_devkit.synthetic.hostile_pdf import long_text_run_pdf, operand_flood_pdf

_MIB = 1024 * 1024
# Before the fix: 2.0 GiB (100 content parts), 366 MiB (attachments), 460 MiB (object streams),
# 447 MiB (font files).
GROWTH_BOUND_BYTES = 64 * _MIB
PEAK_BOUND_BYTES = 300 * 1000 * 1000

# The peak is VmHWM, the high-water mark of this process's own memory: getrusage's ru_maxrss
# survives exec on Linux, so a child of a large pytest worker would start at the worker's peak.
_CHILD = """
import json, sys, logging
logging.getLogger("pypdf").setLevel(logging.ERROR)

def peak_rss():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024

from railclaim_devkit.synthetic import hostile, hostile_pdf, random_spec, render_pdf
from app.invoices.parsing import ParseError, parse_file
import random
build = {
    "deflate_bomb.pdf": hostile_pdf.deflate_bomb_pdf,
    "deflate_bomb_1gib.pdf": lambda: hostile_pdf.deflate_bomb_pdf(1024 << 20),
    "attachment_bomb_1gib.pdf": lambda: hostile_pdf.deflate_bomb_pdf(1024 << 20,
                                                                      in_attachment=True),
    "content_parts.pdf": hostile_pdf.content_parts_bomb_pdf,
    "many_attachments.pdf": hostile_pdf.many_attachments_bomb_pdf,
    "object_streams.pdf": hostile_pdf.object_streams_bomb_pdf,
    "font_files.pdf": hostile_pdf.font_files_bomb_pdf,
    "billion_laughs.xml": hostile.billion_laughs_xml,
    "external_entity.xml": hostile.external_entity_xml,
    "billion_laughs.pdf": lambda: hostile_pdf.xbrl_bomb_pdf(hostile.billion_laughs_xml()),
    "lying_header.zip": hostile.lying_zip_bomb,
    "overlapping.zip": hostile.overlapping_zip_bomb,
    "small_members.zip": hostile.small_members_zip_bomb,
    "template_citations.ofd": hostile.template_amplification_ofd,
}[sys.argv[1]]
data = build()
parse_file(render_pdf(random_spec(random.Random(1))))  # every lazy import done before measuring
before = peak_rss()
try:
    parse_file(data, sys.argv[1])
    outcome = {"code": None, "message": "parsed"}
except ParseError as exc:
    outcome = {"code": exc.code, "message": exc.message}
after = peak_rss()
print(json.dumps({**outcome, "before": before, "after": after}))
"""

# A 1 GiB stream is ~1 MiB compressed, which the raw-length cap refuses before any inflating;
# the 256 MiB one (260 KB compressed) is refused by the inflate limit. Both say the same.
BOMBS: dict[str, tuple[str | None, str]] = {
    "deflate_bomb.pdf": ("too-large", "expands beyond the safety limits"),
    "deflate_bomb_1gib.pdf": ("too-large", "expands beyond the safety limits"),
    "attachment_bomb_1gib.pdf": ("too-large", "expands beyond the safety limits"),
    "content_parts.pdf": ("too-large", "expands beyond the safety limits"),
    "many_attachments.pdf": ("too-large", "expands beyond the safety limits"),
    "object_streams.pdf": ("too-large", "40 object streams"),
    "font_files.pdf": ("too-large", "expands beyond the safety limits"),
    "billion_laughs.xml": ("unreadable-file", "forbidden construct"),
    "external_entity.xml": ("unreadable-file", "forbidden construct"),
    "billion_laughs.pdf": ("unreadable-file", "forbidden construct"),
    "lying_header.zip": ("too-large", "inflates past its declared 4096 bytes"),
    "overlapping.zip": ("unreadable-file", "overlapping members"),
    "small_members.zip": ("too-large", "compresses more than 200:1"),
    # Nothing wrong but size: the template is read once per page and the invoice parses.
    "template_citations.ofd": (None, "parsed"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_bomb_is_refused_while_the_process_stays_within_the_limits(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, name], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    code, words = BOMBS[name]
    assert (result["code"], words in result["message"]) == (code, True), result["message"]
    assert result["after"] - result["before"] < GROWTH_BOUND_BYTES
    assert result["after"] < PEAK_BOUND_BYTES


def test_a_content_stream_without_operators_still_meets_the_time_budget() -> None:
    # 5 M operands and no operator: the tokenizer yields nothing, so it must check the clock
    # itself (it took 10-16 s to get through before).
    flood = operand_flood_pdf()
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"longer than 0\.5 s"):
        parse_file(flood, limits=ParseLimits(time_budget_seconds=0.5))
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    ("letters", "code"), [(40_000, "not-a-travel-invoice"), (60_000, "unreadable-file")]
)
def test_a_long_run_of_text_is_read_in_linear_time(letters: int, code: str) -> None:
    # A generous bound (it took 38 s at 40,000 letters): the point is linear, not a speed.
    started = time.perf_counter()
    with pytest.raises(ParseError) as refused:
        parse_file(long_text_run_pdf(letters), "run.pdf")
    assert refused.value.code == code
    assert time.perf_counter() - started < 5
