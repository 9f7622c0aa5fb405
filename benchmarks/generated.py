"""Generated forms of a given number of questions, with a complete answer set.

Each section has 16 plain questions (text, integer, amount, choice, date) and
a yes/no question whose `if`/`then` adds 3 more; every condition is answered
"yes" so that every question is relevant and answered."""

from __future__ import annotations

from decimal import Decimal

S = "https://json-schema.org/draft/2020-12/schema"
PER_SECTION = 20


def _question(i: int) -> tuple[dict, object]:
    kind = i % 5
    if kind == 0:
        return {"type": "string", "minLength": 1, "maxLength": 80, "title": f"Text {i}"}, f"Antwort {i}"
    if kind == 1:
        return {"type": "integer", "minimum": 0, "maximum": 100000, "title": f"Zahl {i}"}, i
    if kind == 2:
        return {"type": "number", "minimum": 0, "multipleOf": 0.01, "title": f"Betrag {i}"}, Decimal("1820.37")
    if kind == 3:
        return {"enum": ["a", "b", "c"], "title": f"Auswahl {i}"}, "b"
    return {"type": "string", "format": "date", "title": f"Datum {i}"}, "2024-02-29"


def generated_form(questions: int) -> tuple[dict, dict]:
    """A form with about ``questions`` questions and complete answers for it."""
    sections = max(1, round(questions / PER_SECTION))
    properties, answers = {}, {}
    for s in range(sections):
        props, values = {}, {}
        for q in range(16):
            schema, value = _question(s * PER_SECTION + q)
            props[f"q{q}"] = schema
            values[f"q{q}"] = value
        props["toggle"] = {"type": "boolean", "title": "Trifft das zu?"}
        values["toggle"] = True
        extra, extra_values = {}, {}
        for q in range(16, 19):
            schema, value = _question(s * PER_SECTION + q)
            extra[f"q{q}"] = schema
            extra_values[f"q{q}"] = value
        values.update(extra_values)
        properties[f"s{s}"] = {
            "type": "object", "title": f"Abschnitt {s}", "properties": props,
            "required": [*props],
            "if": {"properties": {"toggle": {"const": True}}, "required": ["toggle"]},
            "then": {"properties": extra, "required": [*extra]},
        }
        answers[f"s{s}"] = values
    schema = {"$schema": S, "type": "object", "title": f"Generated {questions}",
              "properties": properties, "required": [*properties]}
    return schema, answers
