"""The estimate's functions declare which top-level answers they read
(``reads``, see ``plausibility.functions.PLUGIN_GROUP``): they read nothing
else, and the estimate from only those answers is the estimate from all."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domains.sgb2 import APPLICATION_SECTIONS, CALCULATOR_SECTIONS, cel_functions
from plausibility.expressions import to_cel
from plausibility.functions import declared_part

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)


class Recording(dict):
    """A dict that notes every key asked for."""

    def __init__(self, *args, seen: set):
        super().__init__(*args)
        self.seen = seen

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)

    def keys(self):  # anything that lists the keys reads them all
        self.seen.update(super().keys())
        return super().keys()

    def __iter__(self):
        self.seen.update(super().keys())
        return super().__iter__()

    def items(self):
        self.seen.update(super().keys())
        return super().items()


def _cases(form: str) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]
            for p in sorted((ROOT / "forms" / form / "cases").glob("*.json"))]


@pytest.mark.parametrize("form,name,sections", [
    ("buergergeld", "buergergeld_schaetzung_antrag", APPLICATION_SECTIONS),
    ("buergergeld-rechner", "buergergeld_schaetzung", CALCULATOR_SECTIONS),
])
def test_the_estimate_reads_only_what_it_declares(form, name, sections):
    function = cel_functions(DAY)[name]
    assert function.reads == sections
    for answers in _cases(form):
        seen: set = set()
        everything = {**answers, "ausweis": {}, "kontakt": {}, "schaetzung": {"x": 1}}
        try:
            full = function(Recording(to_cel(everything), seen=seen))
        except Exception as exc:  # noqa: BLE001 - the same failure from the declared part alone
            with pytest.raises(type(exc)):
                function(to_cel(declared_part(function, everything)))
        else:
            assert function(to_cel(declared_part(function, everything))) == full
        assert seen <= set(sections), sorted(seen - set(sections))
