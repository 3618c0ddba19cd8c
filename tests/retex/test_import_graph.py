"""The apps' import graph has no cycles, and the core imports no app.

Read from the source (every `import` statement, including those inside
functions), so a cycle hidden in a function body counts too: it couples the
apps as much as one at the top of a module."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
# The composition root imports every app by design; nothing imports it.
COMPOSITION_ROOT = "project"


def project_apps() -> set[str]:
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if (ROOT / config.name.split(".")[0]).is_dir()
    }


def imports_between_apps() -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: [files]}}, migrations left out (they name models
    by string and are frozen history)."""
    ours = project_apps()
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in ours}
    for app in ours:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    target = name.split(".")[0]
                    if target in ours and target != app:
                        graph[app].setdefault(target, []).append(
                            str(path.relative_to(ROOT))
                        )
    return graph


def cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_our_apps():
    graph = imports_between_apps()
    assert {"retex", "members", "knowledge", "events", "search", "aid"} <= set(graph)
    # A known dependency is seen (knowledge pages belong to collectivities).
    assert "members" in graph["knowledge"]


def test_no_import_cycles_between_apps():
    graph = imports_between_apps()
    found = cycles(graph)
    details = {
        app: {target: files for target, files in graph[app].items() if target in cycle}
        for cycle in found
        for app in cycle
    }
    assert found == [], f"import cycles between apps: {found}\n{details}"


def test_the_core_imports_no_app():
    graph = imports_between_apps()
    assert graph["retex"] == {}, (
        "retex is the shared core: apps declare what they contribute in their "
        f"AppConfig (retex/declarations.py) instead: {graph['retex']}"
    )


def test_nothing_imports_the_composition_root():
    graph = imports_between_apps()
    importers = [app for app, targets in graph.items() if COMPOSITION_ROOT in targets]
    assert importers == []


@pytest.mark.parametrize("app", ["events", "members", "aid", "search", "knowledge"])
def test_models_do_not_import_views(app):
    """Models are below views: a model importing its app's views (or the page
    cache's middleware) ties the data layer to the web layer."""
    path = ROOT / app / "models.py"
    tree = ast.parse(path.read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.endswith(".views")}
