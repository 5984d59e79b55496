"""The house style of issue 18, held by the code itself rather than by reviewers' memory (STYLE.md).

Each check reads the source (the AST, not a regex) of `libs`, `services` and `gateway`:

- files stay under 400 lines, migrations included;
- a router is thin: every route has a docstring and `responses=` for its problems, no router runs a query, and no
  router imports another router (a presenter lives in `views.py`);
- (errors as classes, with no loose `code="..."`, are held by `tests/contracts/test_error_catalogue.py`);
- every service's context extends the kernel's one `ServiceContext`;
- casework's case flow has no untyped `dict[str, Any]` (the case document is a typed, frozen model).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from libs.kernel.context import ServiceContext

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("libs", "services", "gateway", "console")
SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")
MAX_LINES = 400
_ROUTE_VERBS = {"get", "post", "put", "patch", "delete"}
# What a session runs (`request.stream()`, a body read in chunks, is not a query).
_QUERY_CALLS = {"select", "execute", "scalars", "scalar", "stream_scalars"}


def _python_files(*tops: str) -> Iterator[Path]:
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _router_modules() -> list[Path]:
    return [p for p in _python_files("services", "gateway") if "router" in p.stem]


def _route_functions(tree: ast.Module) -> Iterator[tuple[ast.AsyncFunctionDef | ast.FunctionDef, ast.Call]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr in _ROUTE_VERBS
                    and isinstance(deco.func.value, ast.Name)
                    and deco.func.value.id.endswith("router")
                ):
                    yield node, deco


def test_no_file_is_over_400_lines() -> None:
    long = {_name(p): n for p in _python_files(*SOURCES) if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_route_is_documented_with_its_problems() -> None:
    undocumented: list[str] = []
    for path in _router_modules():
        for fn, deco in _route_functions(ast.parse(path.read_text())):
            missing = [
                what
                for what, ok in (
                    ("docstring", bool(ast.get_docstring(fn))),
                    ("responses=", any(k.arg == "responses" for k in deco.keywords)),
                )
                if not ok
            ]
            if missing:
                undocumented.append(f"{_name(path)}:{fn.lineno} {fn.name} lacks {', '.join(missing)}")
    assert undocumented == []


def test_routers_run_no_queries_and_import_no_router() -> None:
    found: list[str] = []
    for path in _router_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if called in _QUERY_CALLS:
                    found.append(f"{_name(path)}:{node.lineno} calls {called}()")
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if any(m.split(".")[-1].startswith("router") for m in imported) and node.module != "fastapi":
                    found.append(f"{_name(path)}:{node.lineno} imports a router ({node.module})")
    assert found == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_context_extends_the_kernel_one(service: str) -> None:
    module = __import__(f"services.{service}.context", fromlist=["*"])
    contexts = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, ServiceContext) and v is not ServiceContext
    ]
    assert len(contexts) == 1, contexts
    definition = __import__(f"services.{service}.definition", fromlist=["DEFINITION"]).DEFINITION
    assert definition.context == contexts[0].of


def test_casework_case_flow_is_typed() -> None:
    untyped = [
        f"{_name(p)}:{i}"
        for p in _python_files("services/casework/case")
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if "dict[str, Any]" in line
    ]
    assert untyped == []


def test_no_file_keeps_a_merge_conflict_marker() -> None:
    # A marker left in a style sheet made the browser drop the rules around it, silently (issue 20).
    marked = []
    for top in (*SOURCES, "docs", "deploy", "tests", "bench"):
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".css", ".html", ".md", ".yaml", ".yml", ".txt", ".sh"}:
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "=======" for line in lines):
                marked.append(_name(path))
    assert marked == []
