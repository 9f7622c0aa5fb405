"""The plugin interface: domain law reaches CEL through the
``formwerk.cel_functions`` entry points, and engine/ and plausibility/ know no
benefit law."""

import re
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from plausibility import functions

ROOT = Path(__file__).resolve().parents[2]


def test_sgb2_is_registered_as_an_entry_point():
    names = {ep.name: ep.value for ep in entry_points(group=functions.PLUGIN_GROUP)}
    assert names.get("sgb2") == "domains.sgb2:cel_functions"


def test_the_plugin_functions_are_in_every_checks_table():
    table = functions.functions(date(2026, 3, 1))
    assert {"buergergeld_schaetzung", "buergergeld_schaetzung_antrag"} <= set(table)
    assert "buergergeld_schaetzung" in functions.NAMES
    result = table["buergergeld_schaetzung"]({"haushalt": {"alter": 40.0}})
    assert result["anspruch"] == 563.0 and result["monat"] == "2026-03"


def test_a_plugin_may_not_shadow_a_builtin(monkeypatch):
    monkeypatch.setattr(functions, "_providers", lambda: (("evil", lambda today: {"today": lambda: "1999-01-01"}),))
    with pytest.raises(ValueError, match="'today' of plugin 'evil' is already defined"):
        functions.functions(date(2026, 3, 1))


def test_bad_input_to_the_estimate_is_a_clear_type_error():
    table = functions.functions(date(2026, 3, 1))
    with pytest.raises(TypeError, match="needs the household's answers as a map"):
        table["buergergeld_schaetzung"]("nonsense")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        table["buergergeld_schaetzung"]({}, "gestern")


@pytest.mark.parametrize("package", ["engine", "plausibility"])
def test_engine_and_plausibility_know_no_benefit_law(package):
    """No import of a domain package and no benefit-law name in their code
    (a docstring may mention a form's function as an example)."""
    code = re.compile(r"^\s*(from|import)\s+domains|[\"'](buergergeld|sgb2|regelbedarf)", re.I | re.M)
    for path in (ROOT / package).rglob("*.py"):
        found = code.search(path.read_text("utf-8"))
        assert found is None, f"{path.relative_to(ROOT)}: {found and found.group(0)}"
