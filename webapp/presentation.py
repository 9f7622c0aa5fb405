"""How answers look on pages: element ids for pointers, values as an
applicant reads them (German dates and decimal commas, option labels).
Numbers, amounts and times are formatted with Babel for the page's
language; times are shown in Europe/Berlin, where the Jobcenters are."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from jinja2 import pass_context

from engine.page import build_pages, errors_once, pages_of

BERLIN = ZoneInfo("Europe/Berlin")
_LOCALES = {"de": "de_DE", "en": "en_GB"}

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def field_id(pointer: str) -> str:
    """A valid, stable HTML id for the question at a JSON pointer."""
    return "f" + "".join("-" + _UNSAFE.sub("_", t) for t in pointer.split("/")[1:]) if pointer else "f"


def format_value(field, value, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        from .i18n import translate

        if field.values == (True,):
            return translate("value_confirmed", lang)
        return translate("yes" if value else "no", lang)
    if isinstance(value, list):
        return ", ".join(format_value(field, v, lang) for v in value)
    if isinstance(value, str) and field.options.get(value):
        return field.options[value]
    if isinstance(value, str) and (field.constraints.get("format") == "date" or field.widget == "date"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return local_date(day, lang)
    if isinstance(value, (int, float, Decimal)):
        if field.widget == "money":
            return money(value, lang)
        return number(value, lang)
    return str(value)


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "de_DE")


def number(value, lang: str) -> str:
    """A number as the language writes it: 2,3 and 1.500 in German."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, format="#,##0", locale=_locale(lang))
    return format_decimal(Decimal(str(value)), format="#,##0.##", locale=_locale(lang))


def money(amount, lang: str) -> str:
    """An amount in euros: 1.173,00 € in German, €1,173.00 in English (Babel's
    currency format, as the hints of plausibility rules write it)."""
    if lang == "de" or lang not in _LOCALES:
        return format_decimal(Decimal(str(amount)), format="#,##0.00", locale=_locale(lang)) + " €"
    return format_currency(Decimal(str(amount)), "EUR", locale=_locale(lang))


def local_time(moment: datetime | None, lang: str, seconds: bool = False) -> str:
    """A stored moment (UTC; SQLite returns it naive) as the applicant's
    wall-clock time in Europe/Berlin: 01.07.2026, 12:00 Uhr (with
    ``seconds``, 12:00:05 Uhr, for logs)."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    clock = "HH:mm:ss" if seconds else "HH:mm"
    pattern = f"dd.MM.yyyy, {clock} 'Uhr'" if lang == "de" else f"d MMMM yyyy, {clock}"
    return format_datetime(moment, pattern, tzinfo=BERLIN, locale=_locale(lang))


def local_date(moment, lang: str) -> str:
    """A date (or the Berlin calendar day of a moment) as 01.07.2026 / 1 July 2026."""
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(BERLIN).date()
    return format_date(moment, "dd.MM.yyyy" if lang == "de" else "d MMMM yyyy", locale=_locale(lang))


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


#: answers that name an entry of an "add another" list, first match wins
NAME_KEYS = (("vorname", "nachname"), ("name",), ("bezeichnung",), ("bank",))


def name_in(answers) -> str | None:
    """The name an entry's own answers give it ("Elif Yilmaz"), if any."""
    if not isinstance(answers, dict):
        return None
    for keys in NAME_KEYS:
        text = " ".join(v.strip() for v in (answers.get(k) for k in keys) if isinstance(v, str) and v.strip())
        if text:
            return text[:120]
    return None


def _entry_answers(item) -> dict:
    depth = item.pointer.count("/") + 1
    found = {}
    for child in getattr(item, "children", ()):
        if child.kind == "question" and child.pointer.count("/") == depth:
            found[child.pointer.rsplit("/", 1)[1]] = child.value
        elif child.kind == "group":
            found.update(_entry_answers(child) if child.pointer.count("/") < depth else {})
    return found


#: groups of answers that belong to a person named elsewhere: the applicant's
#: and the partner's income lists look alike, their entries and documents say whose
#: they are ("Einkommen 1 von Murat Yilmaz"); the text key is for an owner not named yet
OWNERS = (("/haushalt/partner", "/haushalt/partner", "entry_of_partner"),
          ("/einkommen/antragsteller", "/person", None),
          ("/einkommen/partner", "/haushalt/partner", "entry_of_partner"))


def owner_of(pointer: str, answers) -> tuple[str | None, str | None]:
    """``(name, key)`` of the person the answers at ``pointer`` belong to,
    when a group of :data:`OWNERS` holds it: the name their answers give, or
    the text key that names them without one; ``(None, None)`` elsewhere."""
    for prefix, person, unnamed in OWNERS:
        if pointer == prefix or pointer.startswith(prefix + "/"):
            return name_in(_value_at(answers, person)) if answers is not None else None, unnamed
    return None, None


def item_title(node, item, index: int, lang: str, answers=None) -> str:
    """How an entry of a list is named on pages, in the review and the PDF:
    by its answers once they name it ("Elif Yilmaz"), else "Kind 2"; an entry
    of a person's list says whose it is ("Einkommen 1 von Murat Yilmaz")."""
    name = name_in(_entry_answers(item))
    if name:
        return name
    from .i18n import TEXTS, translate

    label = item.field.label if item.field and item.field.label and item.field.label != node.field.label else None
    if label is None:
        label = translate("entry", lang) if "entry" in TEXTS else node.field.label
    title = f"{label} {index}"
    owner, unnamed = owner_of(item.pointer, answers)
    if owner:
        return translate("entry_of", lang, entry=title, name=owner)
    return translate(unnamed, lang, entry=title) if unnamed else title


@pass_context
def _item_title_in_template(context, node, item, index: int, lang: str) -> str:
    """:func:`item_title` with the answers of the page or review being shown."""
    return item_title(node, item, index, lang, _answers_in(context))


def _answers_in(context):
    page = context.get("page")
    if page is not None and getattr(page, "outcome", None) is not None:
        return page.outcome.answers
    outcome = context.get("outcome")
    if outcome is not None and hasattr(outcome, "answers"):
        return outcome.answers
    for _, shown in context.get("rows") or ():
        return shown.outcome.answers
    return None


def _value_at(answers, pointer: str):
    node = answers
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None
    return node


def document_title(document, answers, lang: str) -> str:
    """A required document's title, naming the person or thing it is for:
    an entry of a list or a person ("Geburtsurkunde von Elif Yilmaz", the
    partner's "Ausweis von Ayşe Yilmaz", a child's "Schulbescheinigung von
    Elif Yilmaz" asked in her annex), or the owner of an income list
    ("Gehaltsabrechnungen … von Murat Yilmaz")."""
    from .i18n import translate

    tokens = document.path.split("/")[1:]
    name = None
    for depth in range(len(tokens), 1, -1):  # the entry or person itself, then what holds it (not a section)
        name = name_in(_value_at(answers, "/" + "/".join(tokens[:depth])))
        if name:
            break
    unnamed = None
    if not name:
        name, unnamed = owner_of(document.path, answers)
    if name:
        return translate("document_of", lang, document=document.title, name=name)
    return translate(unnamed, lang, entry=document.title) if unnamed else document.title


class IssueNamer:
    """Error and hint texts that say whose answer they are about: an issue
    inside a repeated entry (or a person named by their answers, such as the
    partner) reads "Geburtsdatum von Elif Yilmaz: …" on the page, in the
    error summary and on check-your-answers, instead of a bare "Geburtsdatum"
    that could be anyone's. Built from the pages shown (their titles are the
    ones the applicant sees); ``namer(issue)`` gives the text."""

    def __init__(self, pages, lang: str):
        self.lang = lang
        self.titles: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        #: titles that are a group's label (the partner before their name is known), not a name
        self.unnamed: set[str] = set()
        self.answers = next((page.outcome.answers for page in pages), None)
        for page in pages:
            self._visit(page.root, top=True)

    def _visit(self, node, top: bool = False) -> None:
        if node.kind == "question":
            self.labels[node.pointer] = node.field.label
        elif node.kind == "list":
            self.labels[node.pointer] = node.field.label
            for index, item in enumerate(node.items, start=1):
                self.titles[item.pointer] = item_title(node, item, index, self.lang, self.answers)
                for child in item.children:
                    self._visit(child)
        else:
            if not top:
                answers = _entry_answers(node)
                name = name_in(answers)
                if name:
                    self.titles[node.pointer] = name
                elif node.field and node.field.label and any(keys[0] in answers for keys in NAME_KEYS):
                    self.titles[node.pointer] = node.field.label  # a person not named yet
                    self.unnamed.add(node.pointer)
            for child in node.children:
                self._visit(child)

    def whose(self, pointer: str) -> str | None:
        """The title of the innermost named entry that holds ``pointer``."""
        at = self._holder(pointer)
        return self.titles[at] if at is not None else None

    def _holder(self, pointer: str) -> str | None:
        at = pointer
        while at:
            if at in self.titles:
                return at
            at = at.rpartition("/")[0]
        return None

    def __call__(self, issue) -> str:
        holder = self._holder(issue.path)
        if holder is None:
            return issue.message
        name = self.titles[holder]
        label = self.labels.get(issue.path)
        if (label is None or issue.path in self.titles or label.rstrip().endswith("?") or holder in self.unnamed
                or label in issue.message):
            return f"{name}: {issue.message}"  # the message quotes the question already: say it once
        from .i18n import translate

        return translate("issue_of", self.lang, label=label, name=name, message=issue.message)


def review_rows(form, outcome, sections, lang: str, walk=None):
    """``[(section, page)]`` for check-your-answers and the receipt; with
    the ``walk`` of the check that gave ``outcome`` (``form.check_walk``,
    channel "web"), the pages are laid out from that check instead of
    checking the answers once more."""
    names = [s.name for s in sections]
    pages = pages_of(form, outcome, walk, names, lang) if walk is not None else build_pages(form, outcome.answers, names, lang)
    return list(zip(sections, pages))


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
                                 date_parts=date_parts, input_value=input_value, money=money, first_input_id=first_input_id,
                                 number=number, local_time=local_time, local_date=local_date, item_title=_item_title_in_template,
                                 issue_namer=IssueNamer, errors_once=errors_once)
