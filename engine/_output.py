"""The CLI's results as JSON text without copying the answers.

``dump_json(outcome.to_json(exact=True))`` first copies the answers and the
computed values (``to_jsonable``), which on a large application costs about
as much as writing them. :func:`outcome_json` writes the same text (byte for
byte) from the outcome's own answers and computed values: ``to_json`` runs on
the outcome without them, so every other key is exactly what it says, and
``dump_json`` writes Decimals exactly. Only a value the copy would have
changed (a Decimal or float that is not finite) makes it take the copying
path.
"""

from __future__ import annotations

from dataclasses import replace

from ._loading import dump_json, to_jsonable
from .outcome import Outcome


def outcome_json(outcome: Outcome, extra: dict | None = None) -> str:
    """``dump_json(outcome.to_json(exact=True) | extra)``."""
    data = replace(outcome, answers={}, computed={}).to_json(exact=True)
    data["answers"], data["computed"] = outcome.answers, outcome.computed
    if extra:
        data.update(extra)
    try:
        return dump_json(data)
    except (TypeError, ValueError):  # a number that is not finite: as the copy writes it
        return dump_json(to_jsonable(data, True))
