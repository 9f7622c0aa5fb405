"""Plain-language error messages in German and English.

Each message names one cause and one fix (UX rule 5) and uses the field's
label. A form overrides a message per field and keyword with ``x-messages``
(default language) or ``x-i18n.<lang>.messages``; overrides may use the same
placeholders (``{label}``, ``{limit}``, ``{values}``, ``{value}``, ``{name}``).
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

LANGUAGES = ("de", "en")

_T: dict[str, dict[str, str]] = {
    "required": {
        "de": "Füllen Sie das Feld „{label}“ aus.",
        "en": "Fill in “{label}”.",
    },
    "required.choice": {
        "de": "Wählen Sie bei „{label}“ eine Antwort aus.",
        "en": "Choose an answer for “{label}”.",
    },
    "required.question": {
        "de": "Beantworten Sie die Frage „{label}“.",
        "en": "Answer the question “{label}”.",
    },
    "required.list": {
        "de": "Fügen Sie bei „{label}“ mindestens einen Eintrag hinzu.",
        "en": "Add at least one entry to “{label}”.",
    },
    "type.number": {
        "de": "Geben Sie bei „{label}“ eine Zahl an, zum Beispiel 1250,50.",
        "en": "Enter a number for “{label}”, for example 1250.50.",
    },
    "type.integer": {
        "de": "Geben Sie bei „{label}“ eine ganze Zahl an, zum Beispiel 3.",
        "en": "Enter a whole number for “{label}”, for example 3.",
    },
    "type.string": {
        "de": "Geben Sie bei „{label}“ einen Text an.",
        "en": "Enter text for “{label}”.",
    },
    "type.boolean": {
        "de": "Wählen Sie bei „{label}“ Ja oder Nein.",
        "en": "Choose Yes or No for “{label}”.",
    },
    "type.array": {
        "de": "Geben Sie bei „{label}“ eine Liste von Einträgen an.",
        "en": "Give a list of entries for “{label}”.",
    },
    "type.object": {
        "de": "Beantworten Sie die Fragen unter „{label}“ einzeln.",
        "en": "Answer the questions under “{label}” one by one.",
    },
    "type": {
        "de": "Die Angabe bei „{label}“ hat nicht die erwartete Form. Prüfen Sie die Eingabe.",
        "en": "The answer for “{label}” is not in the expected form. Check your entry.",
    },
    "enum": {
        "de": "Wählen Sie bei „{label}“ eine der Möglichkeiten: {values}.",
        "en": "Choose one of the options for “{label}”: {values}.",
    },
    "const": {
        "de": "Bei „{label}“ ist nur „{value}“ möglich.",
        "en": "“{label}” can only be “{value}”.",
    },
    "const.confirm": {
        "de": "Bestätigen Sie: {label}",
        "en": "Confirm: {label}",
    },
    "minLength": {
        "de": "Geben Sie bei „{label}“ mindestens {limit} Zeichen an.",
        "en": "Enter at least {limit} characters for “{label}”.",
    },
    "maxLength": {
        "de": "Kürzen Sie „{label}“ auf höchstens {limit} Zeichen.",
        "en": "Shorten “{label}” to {limit} characters or fewer.",
    },
    "pattern": {
        "de": "Geben Sie „{label}“ im vorgesehenen Format an.",
        "en": "Enter “{label}” in the expected format.",
    },
    "minimum": {
        "de": "Geben Sie bei „{label}“ einen Wert von mindestens {limit} an.",
        "en": "Enter a value of {limit} or more for “{label}”.",
    },
    "maximum": {
        "de": "Geben Sie bei „{label}“ einen Wert von höchstens {limit} an.",
        "en": "Enter a value of {limit} or less for “{label}”.",
    },
    "exclusiveMinimum": {
        "de": "Geben Sie bei „{label}“ einen Wert größer als {limit} an.",
        "en": "Enter a value greater than {limit} for “{label}”.",
    },
    "exclusiveMaximum": {
        "de": "Geben Sie bei „{label}“ einen Wert kleiner als {limit} an.",
        "en": "Enter a value less than {limit} for “{label}”.",
    },
    "multipleOf": {
        "de": "Geben Sie bei „{label}“ ein Vielfaches von {limit} an.",
        "en": "Enter a multiple of {limit} for “{label}”.",
    },
    "multipleOf.decimals": {
        "de": "Geben Sie bei „{label}“ höchstens {count} Nachkommastellen an.",
        "en": "Enter no more than {count} decimal places for “{label}”.",
    },
    "multipleOf.whole": {
        "de": "Geben Sie bei „{label}“ eine ganze Zahl an.",
        "en": "Enter a whole number for “{label}”.",
    },
    "format.date": {
        "de": "Geben Sie bei „{label}“ ein gültiges Datum im Format JJJJ-MM-TT an, zum Beispiel 2026-11-24.",
        "en": "Enter a real date for “{label}” in the format YYYY-MM-DD, for example 2026-11-24.",
    },
    "format.date.web": {
        "de": "Geben Sie bei „{label}“ ein gültiges Datum im Format TT.MM.JJJJ an.",
        "en": "Enter a real date for “{label}” in the format DD.MM.YYYY.",
    },
    "format.date-time": {
        "de": "Geben Sie bei „{label}“ Datum und Uhrzeit im Format JJJJ-MM-TTThh:mm:ss mit Zeitzone an, zum Beispiel 2026-11-24T14:30:00+01:00.",
        "en": "Enter a date and time for “{label}” in the format YYYY-MM-DDThh:mm:ss with a time zone, for example 2026-11-24T14:30:00+01:00.",
    },
    "format.date-time.web": {
        "de": "Geben Sie bei „{label}“ Datum und Uhrzeit an, zum Beispiel 24.11.2026, 14:30 Uhr.",
        "en": "Enter a date and time for “{label}”, for example 24.11.2026, 14:30.",
    },
    "format.email": {
        "de": "Geben Sie bei „{label}“ eine E-Mail-Adresse im Format name@beispiel.de an.",
        "en": "Enter an email address for “{label}” in the format name@example.com.",
    },
    "format": {
        "de": "Geben Sie „{label}“ im vorgesehenen Format an.",
        "en": "Enter “{label}” in the expected format.",
    },
    "minItems": {
        "de": "Fügen Sie bei „{label}“ mindestens {limit} Einträge hinzu.",
        "en": "Add at least {limit} entries to “{label}”.",
    },
    "maxItems": {
        "de": "Geben Sie bei „{label}“ höchstens {limit} Einträge an.",
        "en": "Give no more than {limit} entries for “{label}”.",
    },
    "uniqueItems": {
        "de": "Jeder Eintrag bei „{label}“ darf nur einmal vorkommen. Entfernen Sie doppelte Einträge.",
        "en": "Each entry in “{label}” may appear only once. Remove the duplicates.",
    },
    "minProperties": {
        "de": "Machen Sie bei „{label}“ mindestens {limit} Angaben.",
        "en": "Give at least {limit} answers under “{label}”.",
    },
    "maxProperties": {
        "de": "Machen Sie bei „{label}“ höchstens {limit} Angaben.",
        "en": "Give no more than {limit} answers under “{label}”.",
    },
    "maxItems.one": {
        "de": "Geben Sie bei „{label}“ höchstens einen Eintrag an.",
        "en": "Give no more than one entry for “{label}”.",
    },
    "minProperties.one": {
        "de": "Machen Sie bei „{label}“ mindestens eine Angabe.",
        "en": "Give at least one answer under “{label}”.",
    },
    "maxProperties.one": {
        "de": "Machen Sie bei „{label}“ höchstens eine Angabe.",
        "en": "Give no more than one answer under “{label}”.",
    },
    "unknown": {
        "de": "Die Angabe „{name}“ gehört nicht zu diesem Formular. Entfernen Sie sie.",
        "en": "“{name}” is not part of this form. Remove it.",
    },
    "oneOf": {
        "de": "Die Angaben bei „{label}“ passen zu mehr als einer Möglichkeit. Prüfen Sie Ihre Auswahl.",
        "en": "The answers for “{label}” fit more than one option. Check your choice.",
    },
    "oneOf.options": {
        "de": "Die Angaben bei „{label}“ passen zu mehreren Möglichkeiten ({values}), es darf aber nur eine sein. "
              "Ändern Sie die Angaben so, dass nur eine passt.",
        "en": "The answers for “{label}” fit several options ({values}), but only one may fit. "
              "Change them so that only one fits.",
    },
    "invalid": {
        "de": "Prüfen Sie die Angaben bei „{label}“.",
        "en": "Check the answers for “{label}”.",
    },
}

#: Channels whose clients ask for dates differently: the API and the CLI take
#: ISO 8601 (YYYY-MM-DD); the web form's day/month/year fields ask for DD.MM.YYYY.
CHANNELS = ("api", "web")

#: Every code a validation error can carry (besides "unknown").
CODES = tuple(sorted({key.split(".")[0] for key in _T}))


def format_number(value: Any, lang: str) -> str:
    """A number as an applicant reads it: 1250,5 in German, 1250.5 in English;
    a float as the shortest decimal that is the same double, never its binary
    expansion; a very large or very small number in scientific notation."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, int):
        text = str(value) if len(str(abs(value))) <= 21 else _scientific(Decimal(value))
    else:
        number = Decimal(repr(value) if isinstance(value, float) else value)
        if not number.is_finite():
            return str(value)
        number = _exact_normalize(number)
        exponent = number.adjusted()
        text = _scientific(number) if exponent > 20 or exponent < -10 else format(number, "f")
    return text.replace(".", ",") if lang == "de" else text


def _scientific(number: Decimal) -> str:
    """1.5E+30 -> 1.5e30 (as JSON and CEL write it), every digit kept."""
    return format(_exact_normalize(number), "e").replace("e+", "e")


def _exact_normalize(number: Decimal) -> Decimal:
    """Trailing zeros stripped without rounding (``normalize`` rounds to the
    context's 28 digits: a 30-digit limit would be shown as another number)."""
    return number.normalize(Context(prec=max(len(number.as_tuple().digits), 1)))


def _decimals(step: Any) -> int | None:
    """0.01 -> 2, 0.1 -> 1, 1 -> 0; None when the step is not a power of ten."""
    try:
        d = Decimal(str(step)).normalize()
    except Exception:
        return None
    if d <= 0:
        return None
    sign, digits, exponent = d.as_tuple()
    if digits != (1,):
        return None
    return max(0, -exponent) if exponent <= 0 else None


def template_key(code: str, params: dict, field: dict) -> str:
    """Choose the message variant that fits the field and the constraint."""
    if code in ("required", "dependentRequired"):
        if field.get("kind") == "array":
            return "required.list"
        if field.get("label", "").rstrip().endswith("?"):
            return "required.question"
        if field.get("choice"):
            return "required.choice"
        return "required"
    if code == "type":
        types = params.get("types") or []
        first = types[0] if types else None
        return f"type.{first}" if f"type.{first}" in _T else "type"
    if code == "const" and params.get("expected_value") is True:
        return "const.confirm"
    if code == "minLength" and params.get("limit") == 1:
        return "required"
    if code == "minItems" and params.get("limit") == 1:
        return "required.list"
    if code in ("maxItems", "minProperties", "maxProperties") and params.get("limit") == 1:
        return f"{code}.one"  # "höchstens einen Eintrag", not "höchstens 1 Einträge"
    if code == "multipleOf":
        decimals = _decimals(params.get("multiple_of"))
        if decimals == 0:
            return "multipleOf.whole"
        if decimals:
            return "multipleOf.decimals"
        return "multipleOf"
    if code == "format":
        fmt = params.get("format")
        return f"format.{fmt}" if f"format.{fmt}" in _T else "format"
    if code == "oneOf" and params.get("options"):
        return "oneOf.options"
    return code if code in _T else "invalid"


def render(code: str, params: dict, field: dict, lang: str, override: str | None = None,
           channel: str = "api") -> str:
    """The message for one error. ``field`` carries label, choice, kind, options;
    ``channel`` ("api" or "web") decides the date format asked for."""
    lang = lang if lang in LANGUAGES else "de"
    key = template_key(code, params, field)
    if channel != "api" and f"{key}.{channel}" in _T:
        key = f"{key}.{channel}"
    template = override or _T[key][lang]
    limit = params.get("limit", params.get("multiple_of"))
    options = field.get("options") or {}
    values = params.get("options")
    values_text = ", ".join(
        f"„{options.get(_option_key(v), _show(v, lang))}“" if lang == "de" else f"“{options.get(_option_key(v), _show(v, lang))}”"
        for v in (values or [])
    )
    expected = params.get("expected_value")
    slots = {
        "label": field.get("label") or field.get("name") or "",
        "name": field.get("name") or "",
        "limit": format_number(limit, lang) if limit is not None else "",
        "count": _decimals(params.get("multiple_of")) or "",
        "values": values_text,
        "value": options.get(_option_key(expected), _show(expected, lang)) if expected is not None else "",
    }
    try:
        return template.format(**slots)
    except (KeyError, IndexError, ValueError):
        return template  # a broken override is shown as written; lint reports it


def _option_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _show(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("Ja" if value else "Nein") if lang == "de" else ("Yes" if value else "No")
    if value is None:
        return "–"
    if isinstance(value, (dict, list)):
        from ._loading import dump_json

        return dump_json(value)  # an object const is shown as JSON, not as a Python repr
    return format_number(value, lang) if isinstance(value, (int, float, Decimal)) else str(value)
