"""How much a PDF may make pypdf inflate: one allowance per file, and small caps on structure.

pypdf bounds each stream on its own (`pypdf.Configuration`), not a file's streams together, and
it keeps every stream it decoded. A page whose `/Contents` lists a hundred streams of 10 MiB each,
or thirty-two attachments of 10 MiB, stays inside every per-stream limit and still costs GiBs.
So the streams the parser asks for draw from one per-file allowance (each decode may inflate at
most what is left), and what pypdf decodes on its own (object and xref streams) is capped small.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from app.invoices.parsing.model import ParseLimits, TooLarge

# pypdf's own structure streams: an xref stream of 1 MiB indexes ~150,000 objects, an object
# stream of 1 MiB holds thousands; an invoice has a few dozen objects.
_STRUCTURE_STREAM_BYTES = 1024 * 1024
# Decoded object streams stay cached for the reader's life; a real invoice has at most a few.
MAX_OBJECT_STREAMS = 16
# pypdf's text extractor (the face fallback) parses the content into operations: an invoice face
# has a few hundred, and each costs Python objects.
_MAX_EXTRACTED_OPERATIONS = 200_000
# Where a font keeps the streams pypdf's extractor decodes (ISO 32000 9.6-9.10).
_FONT_STREAM_KEYS = ("/ToUnicode", "/Encoding", "/CIDToGIDMap")
_FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")


def _stream_limits(per_stream: int) -> dict[str, Any]:
    return {
        "maximum_declared_stream_length": per_stream,
        "zlib_maximum_output_length": per_stream,
        "lzw_maximum_output_length": per_stream,
        "run_length_maximum_output_length": per_stream,
        "array_based_stream_maximum_output_length": per_stream,
        "brotli_maximum_output_length": per_stream,
        "jbig2_maximum_output_length": per_stream,
        "image_maximum_buffer_size": per_stream,
        # Work counts each filter's input: a chain of filters may not go round the output caps.
        "stream_decoding_work_maximum_length": per_stream * 4,
    }


@contextmanager
def structure_configuration(limits: ParseLimits) -> Iterator[None]:
    """pypdf's limits while it opens a file and resolves objects (object and xref streams)."""
    per_stream = min(_STRUCTURE_STREAM_BYTES, limits.max_stream_bytes)
    with apply_configuration(disable_legacy_handling=True, **_stream_limits(per_stream)):
        yield


@contextmanager
def extraction_configuration(limits: ParseLimits) -> Iterator[None]:
    """pypdf's limits for its text extractor, once `prefetch_text_streams` drew the page's
    content and font streams from the file's allowance: what is left is structure.

    Form XObjects are not followed: an invoice face draws its text on the page, and each form
    would bring its own content and fonts past the allowance.
    """
    with (
        structure_configuration(limits),
        apply_configuration(
            xform_maximum_invocations_per_extraction=0,
            stream_parsing_work_maximum_count=_MAX_EXTRACTED_OPERATIONS,
        ),
    ):
        yield


class DecodeBudget:
    """The bytes the streams of one file may still inflate to, all of them together."""

    def __init__(self, limits: ParseLimits) -> None:
        self.remaining = limits.max_stream_bytes
        self._decoded: set[int] = set()

    def decode(self, stream: StreamObject) -> bytes:
        """The stream's decoded bytes; refused once the file's streams pass the allowance."""
        key = id(stream)
        if key in self._decoded:
            return bytes(stream.get_data())  # pypdf keeps it decoded: no new allocation
        if self.remaining <= 0:  # 0 would mean "no limit" to pypdf
            raise TooLarge(self._refusal())
        with apply_configuration(**_stream_limits(self.remaining)):
            data = bytes(stream.get_data())
        self._decoded.add(key)
        self.remaining -= len(data)
        if self.remaining < 0:
            raise TooLarge(self._refusal())
        return data

    def decode_entry(self, holder: DictionaryObject, key: str) -> None:
        """Decode the stream under `key`, if it is one; it is read within the allowance too."""
        with apply_configuration(**_stream_limits(max(self.remaining, 1))):
            value = holder.get(key)
            value = value.get_object() if value is not None else None
        if isinstance(value, StreamObject):
            self.decode(value)

    @staticmethod
    def _refusal() -> str:
        return "the PDF expands beyond the safety limits: its streams inflate past the stream limit"


def check_object_streams(reader: PdfReader) -> None:
    """Refuse files whose objects spread over more object streams than an invoice ever has."""
    streams = {number for number, _index in reader.xref_objStm.values()}
    if len(streams) > MAX_OBJECT_STREAMS:
        raise TooLarge(f"the PDF has {len(streams)} object streams (limit {MAX_OBJECT_STREAMS})")


def prefetch_text_streams(fonts: DictionaryObject, budget: DecodeBudget) -> None:
    """Decode within the allowance the streams of each font pypdf's extractor reads (maps,
    encodings, embedded font files); pypdf keeps them decoded, so it does not inflate them again.
    """
    for font in fonts.values():
        font = font.get_object()
        if not isinstance(font, DictionaryObject):
            continue
        descendants = font.get("/DescendantFonts")
        descendants = descendants.get_object() if descendants is not None else None
        held = [font]
        if isinstance(descendants, ArrayObject) and descendants:
            descendant = descendants[0].get_object()
            held += [descendant] if isinstance(descendant, DictionaryObject) else []
        for holder in held:
            for key in _FONT_STREAM_KEYS:
                budget.decode_entry(holder, key)
            descriptor = holder.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            if isinstance(descriptor, DictionaryObject):
                for key in _FONT_FILE_KEYS:
                    budget.decode_entry(descriptor, key)
