"""The published catalogue of error codes (libs.contracts.errors) is complete, bilingual, served and listed: every
code has an English and a Chinese message, the partner guides' page is the generated one, the gateway serves it, and
every Problem class in the code base answers with a code (and status) from it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gateway.catalogue import PATH
from gateway.cli import migrate
from gateway.config import GatewaySettings
from gateway.main import create_app
from libs.contracts.errors import AREAS, CATALOGUE
from libs.contracts.errors.__main__ import markdown
from libs.devstack.stack import DevStack

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("libs", "services", "gateway")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_has_an_english_and_a_chinese_message() -> None:
    assert CATALOGUE
    for entry in CATALOGUE.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry.code), entry
        assert 400 <= entry.status <= 599, entry
        assert entry.en.strip(), entry
        assert entry.zh.strip(), entry
        assert CJK.search(entry.zh), entry


def test_the_partner_guides_page_is_the_generated_one() -> None:
    page = (ROOT / "docs" / "partners" / "errors.md").read_text(encoding="utf-8")
    assert page == markdown(), "run: python -m libs.contracts.errors > docs/partners/errors.md"


@pytest.fixture(scope="module")
def gateway_settings(stack: DevStack) -> GatewaySettings:
    settings = GatewaySettings(database_url=stack.database_url, environment="test")
    migrate(settings)  # the shared stack migrates the services only
    return settings


async def test_the_gateway_serves_the_catalogue_without_a_token(gateway_settings: GatewaySettings) -> None:
    settings = gateway_settings
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app, client=("192.0.2.7", 40123))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            reply = await client.get(PATH)
    assert reply.status_code == 200, reply.text
    items = reply.json()["items"]
    expected = sorted(
        ({"code": e.code, "status": e.status, "en": e.en, "zh": e.zh, "area": area}
         for area, codes in AREAS.items() for e in codes),
        key=lambda item: (item["area"], item["code"]),
    )  # fmt: skip
    assert items == expected
    assert PATH in app.openapi()["paths"]


@dataclass(frozen=True)
class ProblemClass:
    where: str
    name: str
    bases: tuple[str, ...]
    code: str | None
    status: int | None


def _constants(node: ast.ClassDef) -> dict[str, object]:
    """`code = "x"`, `status = 409` and `status, code, title = 401, "x", "..."` in a class body."""
    found: dict[str, object] = {}
    for statement in node.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            targets, value = [statement.targets[0]], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        for target in targets:
            if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
                found[target.id] = value.value
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                for name, item in zip(target.elts, value.elts, strict=False):
                    if isinstance(name, ast.Name) and isinstance(item, ast.Constant):
                        found[name.id] = item.value
    return found


def _trees() -> Iterator[tuple[str, ast.Module]]:
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _classes() -> list[ProblemClass]:
    classes = []
    for where, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = tuple(b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                              if isinstance(b, ast.Name | ast.Attribute))  # fmt: skip
                found = _constants(node)
                code, status = found.get("code"), found.get("status")
                classes.append(ProblemClass(where, node.name, bases, code if isinstance(code, str) else None,
                                            status if isinstance(status, int) else None))  # fmt: skip
    return classes


def _problem_classes() -> list[tuple[ProblemClass, int]]:
    """Every subclass of libs.kernel.errors.Problem (by name, through its bases) with the status it answers with."""
    by_name: dict[str, list[ProblemClass]] = {}
    for cls in _classes():
        by_name.setdefault(cls.name, []).append(cls)

    def lineage(cls: ProblemClass, seen: frozenset[str] = frozenset()) -> list[ProblemClass] | None:
        if cls.name == "Problem" and cls.where == "libs/kernel/errors.py":
            return [cls]
        for base in cls.bases:
            for parent in by_name.get(base, []):
                if parent.name not in seen:
                    found = lineage(parent, seen | {cls.name})
                    if found is not None:
                        return [cls, *found]
        return None

    def status_of(chain: list[ProblemClass]) -> int:
        # As libs.kernel.errors decides it: a status the class states, else that of the kind of problem it is (a
        # parent with a code of its own), else the catalogue's for its code.
        cls, parent = chain[0], chain[1] if len(chain) > 1 else None
        if cls.status is not None:
            return cls.status
        if parent is not None and parent.name != "Problem" and parent.code is not None:
            return status_of(chain[1:])
        entry = CATALOGUE.get(cls.code or "")
        return entry.status if entry is not None else 400

    problems = []
    for classes in by_name.values():
        for cls in classes:
            chain = lineage(cls)
            if chain is not None:
                problems.append((cls, status_of(chain)))
    return problems


@pytest.mark.parametrize(
    "top",
    [
        "libs",
        "gateway",
        "services",
    ],
)
def test_every_problem_class_answers_with_a_catalogued_code_and_its_status(top: str) -> None:
    problems = [(cls, status) for cls, status in _problem_classes() if cls.where.startswith(f"{top}/")]
    assert problems  # the scan finds them
    wrong = [
        f"{cls.where}: {cls.name} code={cls.code!r} status={status}"
        for cls, status in problems
        if cls.code is not None and (cls.code not in CATALOGUE or CATALOGUE[cls.code].status != status)
    ]
    assert wrong == []


def test_no_raise_site_names_its_code_as_a_keyword() -> None:
    """A problem is raised as its class (`raise HitClosed(...)`), never as a base class told another code."""
    problem_names = {cls.name for cls, _ in _problem_classes()}
    sites = [
        f"{where}:{node.lineno}"
        for where, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in problem_names
        and any(keyword.arg == "code" for keyword in node.keywords)
    ]
    assert sites == []


def test_a_problem_class_takes_its_status_and_title_from_the_catalogue_and_cannot_contradict_its_kind() -> None:
    from libs.kernel.errors import Conflict, NotFound, Problem

    class LeadGone(NotFound):
        code = "lead_not_found"

    class StandaloneNotFound(Problem):
        code = "lead_not_found"

    entry = CATALOGUE["lead_not_found"]
    for cls in (LeadGone, StandaloneNotFound):
        assert (cls.status, cls.title) == (entry.status, entry.en)
        assert cls().detail == entry.en
    # A 404 code declared as a kind of conflict (409) is refused where it is written, not found by a partner.
    with pytest.raises(TypeError, match="lead_not_found is 404 in the catalogue, not 409"):

        class WrongKind(Conflict):
            code = "lead_not_found"

    with pytest.raises(TypeError, match="not 422"):

        class WrongStatus(Problem):
            status, code = 422, "lead_not_found"
