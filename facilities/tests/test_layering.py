"""facilities sits under tickets: its code never imports tickets, knowledge or notifications."""

import ast
from pathlib import Path

import facilities

FORBIDDEN = ("tickets", "knowledge", "notifications")


def test_facilities_imports_only_accounts_among_our_apps():
    root = Path(facilities.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.relative_to(root).parts or "migrations" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(root)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
