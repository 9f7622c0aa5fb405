"""The applicant's draft has one home (webapp/applicant.py): the wizard and
the document uploads both use it and do not import each other."""

import ast
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"


def _imports(module: str) -> set[str]:
    tree = ast.parse((WEBAPP / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module or "")
            if not node.module:
                found.update(alias.name for alias in node.names)
    return found


def test_documents_does_not_import_the_wizard():
    assert "wizard" not in _imports("documents")
    assert "applicant" in _imports("documents")


def test_wizard_uses_the_shared_draft_home():
    assert "applicant" in _imports("wizard")
    assert "wizard" not in _imports("applicant") and "documents" not in _imports("applicant")
