"""The sources package has an explicit connector registry and no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pulso.sources as sources_pkg
from pulso.sources.registry import CONNECTORS
from pulso.sources.streams import ApiSource

ROOT = Path(sources_pkg.__file__).resolve().parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return "pulso." + ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the pulso.sources modules it imports (module level and inside functions)."""
    graph: dict[str, set[str]] = {}
    names = {_module_name(p) for p in ROOT.rglob("*.py")}
    for path in ROOT.rglob("*.py"):
        mod = _module_name(path)
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                deps.add(base)
                deps.update(f"{base}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[mod] = {d for d in deps if d in names and d != mod}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (c := visit(n)):
            return c
    return None


def test_no_import_cycle_in_sources():
    graph = import_graph()
    assert "pulso.sources.streams" in graph
    assert find_cycle(graph) is None, find_cycle(graph)


def test_base_imports_no_network_module():
    deps = import_graph()["pulso.sources.streams"]
    assert not [d for d in deps if d.startswith("pulso.sources.networks")]


def test_registry_lists_every_network_with_declared_streams():
    assert set(CONNECTORS) == {"facebook", "instagram", "x", "youtube", "tiktok", "linkedin"}
    for network, cls in CONNECTORS.items():
        assert issubclass(cls, ApiSource) and cls.network == network
        assert cls.streams, f"{network}: no streams declared"
        assert all(set(s.tables) <= {"account", "account_daily", "post", "post_daily",
                                     "message"} for s in cls.streams)
