"""The house in rooms: what the package root holds, that no module imports itself round a
circle, and that every import runs the way ARCHITECTURE.md draws the house.

Imports are read from the source (module level and inside functions alike), so a lazy
import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import ipywidgets
import pytest

PACKAGE = "digit4sd_widgets"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

ROOMS = ("data", "course", "exercises", "serve", "grade", "pack", "hub")
SHARED = ("atomic", "i18n", "catalogues", "workbook", "charts", "static", "dossier",
          "grading", "examples")
#: room -> the rooms and shared pieces it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "atomic": set(),
    "i18n": set(),
    "catalogues": {"atomic", "i18n", "course"},  # the translators' tool reads the content
    "charts": {"i18n"},
    "static": {"i18n"},
    "workbook": {"atomic", "i18n"},
    "data": {"atomic", "i18n"},
    "course": {"atomic", "i18n"},
    "exercises": {"data", "course", "workbook", "charts", "atomic", "i18n"},
    "dossier": {"exercises", "data", "course", "workbook", "charts", "atomic", "i18n"},
    "grading": {"exercises", "workbook", "i18n"},
    "examples": {"exercises", "data", "course", "workbook", "i18n"},
    "serve": {"exercises", "data", "course", *SHARED},
    "grade": {"exercises", "data", "course", *SHARED},
    "pack": {"exercises", "data", "course", *SHARED},
    "hub": {"course", *SHARED},
    "cli": {*ROOMS, *SHARED},
    "__init__": set(),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = package_modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The package modules that the module imports (resolved to module names)."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            # a package's __init__ runs before any of its modules: importing it from inside
            # the package is no edge of its own
            if target and target != name and not name.startswith(f"{target}."):
                found.add(target)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def room_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def test_the_root_holds_only_the_shared_pieces_and_the_rooms():
    entries = {p.name for p in ROOT.iterdir()
               if p.name != "__pycache__" and not p.name.endswith(".pyc")}
    expected = {"__init__.py", "cli.py", "share", "locale", *ROOMS,
                *(f"{s}.py" for s in SHARED)}
    assert entries == expected
    for room in ROOMS:
        init = ROOT / room / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"{room}/__init__.py must say what the room may import"


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph: Tarjan's strongly connected components of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            members = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                members.append(w)
                if w == v:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_anywhere_in_the_package():
    assert circles(GRAPH) == []


def test_the_circle_check_finds_a_circle():
    """The grading modules once imported each other through function-level imports."""
    graph = {m: set(ts) for m, ts in GRAPH.items()}
    graph[f"{PACKAGE}.grade.common"].add(f"{PACKAGE}.grade.collect")
    assert [f"{PACKAGE}.grade.collect", f"{PACKAGE}.grade.common"] in circles(graph)
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_every_import_follows_the_house():
    wrong = []
    for module, targets in GRAPH.items():
        room = room_of(module)
        for target in targets:
            other = room_of(target)
            if other == room:
                continue
            if other not in ALLOWED[room]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_serving_grading_packs_and_the_hub_never_import_each_other():
    apart = {"serve", "grade", "pack", "hub"}
    crossing = [f"{m} -> {t}" for m, ts in GRAPH.items() for t in ts
                if room_of(m) in apart and room_of(t) in apart and room_of(m) != room_of(t)]
    assert crossing == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(
    f"{PACKAGE}.exercises.") and not n.rpartition(".")[2].startswith("_")))
def test_an_exercise_imports_no_widget_of_another_exercise(name):
    """Exercises share models and helpers, never another exercise's view."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
                and not node.module.startswith("_")):
            continue
        other = importlib.import_module(f"{PACKAGE}.exercises.{node.module}")
        for alias in node.names:
            value = getattr(other, alias.name)
            assert not (inspect.isclass(value) and issubclass(value, ipywidgets.Widget)), \
                f"{name} imports the widget {node.module}.{alias.name}"


OLD_PATHS = {
    "analysis": "data.analysis", "geo": "data.geo", "databuild": "data.build",
    "datacheck": "data.check", "authoring": "course.authoring", "release": "course.release",
    "lab": "course.lab", "apps": "course.apps", "room": "serve.room",
    "grade_collect": "grade.collect", "grade_autograde": "grade.autograde",
    "grade_worker": "grade.worker", "grade_synthetic": "grade.synthetic",
    "nbgrader_plugins": "grade.plugins", "profile": "pack.profile",
    "hub_exchange": "hub.exchange",
}


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_module_paths_of_earlier_releases_still_import(old):
    before = importlib.import_module(f"{PACKAGE}.{old}")
    assert before is importlib.import_module(f"{PACKAGE}.{OLD_PATHS[old]}")


def test_the_public_paths_keep_working():
    from digit4sd_widgets.analysis import group_means
    from digit4sd_widgets.hub_exchange import OwnerCheckedCollect
    from digit4sd_widgets.nbgrader_plugins import HideTestTracebacks

    from digit4sd_widgets import StakeholderMatrix, analysis
    from digit4sd_widgets.course import MODULES as COURSE_MODULES
    from digit4sd_widgets.data import load_survey
    from digit4sd_widgets.grading import load_answer
    from digit4sd_widgets.hub import configure, load_plan

    assert StakeholderMatrix.__module__ == f"{PACKAGE}.exercises.stakeholders"
    assert group_means is analysis.group_means
    assert len(COURSE_MODULES) == 6
    assert callable(load_survey) and callable(load_answer)
    assert callable(configure) and callable(load_plan)
    assert OwnerCheckedCollect.__module__ == f"{PACKAGE}.hub.exchange"
    assert HideTestTracebacks.__module__ == f"{PACKAGE}.grade.plugins"
