"""Dependencies point one way: web and workers → services → tenants → infra. This keeps them so."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What each layer must never import.
FORBIDDEN = {
    "infra": {"tenants", "services", "web", "workers"},
    "tenants": {"services", "web", "workers"},
    "services": {"web", "workers"},
    "workers": {"web"},
    "web": {"workers"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    wrong = {
        f"{path.relative_to(ROOT)} imports {bad}"
        for path in (ROOT / layer).rglob("*.py")
        for bad in imports_of(path) & FORBIDDEN[layer]
    }
    assert sorted(wrong) == []
