"""Refusing a second file where a route takes one.

FastAPI binds a single `UploadFile` parameter to the last part of that name, so a request with
two `file` parts stored the second and dropped the first without a word. A route that takes one
file names the part; a request with more than one such part is a 422 naming it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from app.problems import ValidationProblem


def one_file_part(name: str, *, several_go_to: str | None = None) -> Callable[..., Awaitable[None]]:
    """A route dependency: 422 when the form holds more than one part called `name` (async: the
    form is parsed already and cached on the request, so this reads it without a thread hop)."""
    hint = f"; several files go to {several_go_to}" if several_go_to else ""

    async def refuse_repeated_part(request: Request) -> None:
        form = await request.form()
        if len(form.getlist(name)) > 1:
            raise ValidationProblem(name, f"send one file in this field{hint}")

    return refuse_repeated_part
