"""What the 系统管理 pages share: a refusal placed beside the field it concerns, in the catalogue's Chinese.

The API names a refused field by its place in the body (`["body", "figures", "dibao_standard"]`) or, for a refusal
of the whole request, only by its code (`username_taken`); each form says which of its fields stands for which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse

from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import page

Field = Annotated[str, Form(max_length=2048)]
Token = Annotated[str, Form(max_length=256)]
REQUIRED = "此项必填"


@dataclass
class Placed:
    """Messages beside fields, and the one at the top when no field carries the refusal."""

    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def place(
    refused: ApiProblem, typed: Mapping[str, str], *, fields: Mapping[str, str], codes: Mapping[str, str]
) -> Placed:
    """`fields`: the body's first key → the form's field; `codes`: a problem code → the field it concerns."""
    placed = Placed()
    for error in refused.errors:
        loc = [str(p) for p in (error.get("loc") or []) if p not in {"body", "path", "query"}]
        name = fields.get(loc[0]) if loc else None
        if name is None or name in placed.errors:
            continue
        # An empty field gets the plain word: the catalogue's message for a malformed value would puzzle.
        empty = error.get("type") == "missing" or not typed.get(name, "").strip()
        placed.errors[name] = REQUIRED if empty else refused.message
    if refused.code in codes:
        placed.errors.setdefault(codes[refused.code], refused.message)
    if not placed.errors:
        placed.problem = refused.message
    return placed


def expired(request: Request, session: Session) -> HTMLResponse:
    return page(request, "refused.html", 403, session=session, person=session.person,
                message="页面已过期，请刷新后重试")  # fmt: skip


def refused_page(request: Request, session: Session, refused: ApiProblem) -> HTMLResponse:
    return page(request, "refused.html", refused.status, session=session, person=session.person,
                message=refused.message)  # fmt: skip
