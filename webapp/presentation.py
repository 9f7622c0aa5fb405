"""How answers look on pages: element ids for pointers, values as an
applicant reads them (German dates and decimal commas, option labels)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from engine.page import build_page

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def field_id(pointer: str) -> str:
    """A valid, stable HTML id for the question at a JSON pointer."""
    return "f" + "".join("-" + _UNSAFE.sub("_", t) for t in pointer.split("/")[1:]) if pointer else "f"


def format_value(field, value, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        if field.values == (True,):
            return "bestätigt" if lang == "de" else "confirmed"
        return ("Ja" if value else "Nein") if lang == "de" else ("Yes" if value else "No")
    if isinstance(value, list):
        return ", ".join(format_value(field, v, lang) for v in value)
    if isinstance(value, str) and field.options.get(value):
        return field.options[value]
    if isinstance(value, str) and (field.constraints.get("format") == "date" or field.widget == "date"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return day.strftime("%d.%m.%Y")
    if isinstance(value, (int, float, Decimal)):
        text = f"{Decimal(str(value)):,.2f}" if field.widget == "money" or not isinstance(value, int) else f"{value:,}"
        if lang == "de":
            text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        return text + (" €" if field.widget == "money" else "")
    return str(value)


def money(amount, lang: str) -> str:
    """An amount in euros: 1.173,00 € in German, 1,173.00 € in English."""
    text = f"{Decimal(str(amount)):,.2f}"
    if lang == "de":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text} €"


def date_parts(value) -> tuple[str, str, str]:
    """(Tag, Monat, Jahr) to show in three inputs."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
            return str(day.day), str(day.month), str(day.year)
        except ValueError:
            parts = value.split(".") if "." in value else value.split("-")[::-1]
            if len(parts) == 3:
                return parts[0], parts[1], parts[2]
    return "", "", ""


def input_value(field, value) -> str:
    """An answer as it goes back into its input: German decimal comma, amounts with cents."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        if field.widget == "money":
            return f"{number:.2f}".replace(".", ",")
        text = format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
        return text.replace(".", ",")
    return str(value)


def review_rows(form, outcome, sections, lang: str):
    """``[(section, page)]`` for check-your-answers and the receipt."""
    return [(s, build_page(form, outcome.answers, s.name, lang)) for s in sections]


def widget_kind(field) -> str:
    """How to present a question: follows the question, as the form says."""
    if field.kind == "array":
        return "checkboxes"
    if field.values == (True,):
        return "checkbox"
    if field.type == "boolean" and not field.values:
        return "yesno"
    if field.values:
        if field.widget in ("radios", "select"):
            return field.widget
        return "radios" if len(field.values) <= 5 else "select"
    if field.constraints.get("format") == "date" or field.widget == "date":
        return "date"
    if field.widget == "textarea" or (field.constraints.get("maxLength") or 0) > 300:
        return "textarea"
    if field.type in ("number", "integer"):
        return "number"
    return "text"


def first_input_id(field, pointer: str) -> str:
    """Where an error summary link lands: a group's first input (UX rule 4)."""
    kind = widget_kind(field)
    base = field_id(pointer)
    if kind == "date":
        return base + "-tag"
    if kind in ("radios", "yesno", "checkboxes"):
        return base + "-0"
    return base


def init_app(app) -> None:
    app.jinja_env.globals.update(field_id=field_id, widget_kind=widget_kind, format_value=format_value,
                                 date_parts=date_parts, input_value=input_value, money=money, first_input_id=first_input_id)
