"""WTForms fields that read one page's answers from a form post.

They only coerce (German decimal comma, day/month/year dates, yes/no); they
never validate: whatever cannot be coerced is passed on as typed, and the
engine reports it in plain language at its field.

Two things are settled here because they must never reach storage, the
caseworker or the PDF: control characters and bidi overrides are removed
from free text (line breaks stay), and a text is cut at a hard cap (twice the
question's ``maxLength`` plus a little, so the engine still reports that it is
too long; ``MAX_TEXT_LENGTH`` where the question sets none). A date's year
must have four digits and lie between 1000 and 2199; anything else is passed
on as typed and the engine asks for a valid date. A real date long ago (a
birth date in 1890) is a date: the form's own rules say what is wrong with it
(an age over 120), not a message about its format."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms import Field
from wtforms.form import BaseForm

from engine._fields import Field as Described

DATE_PARTS = ("tag", "monat", "jahr")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
#: C0 controls except tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
YEARS = range(1000, 2200)
DEFAULT_TEXT_CAP = 10000


def clean_text(text: str) -> str:
    """Free text without control characters or bidi overrides; CR LF as LF."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_cap(max_length: int | None, default: int = DEFAULT_TEXT_CAP) -> int:
    """How many characters of an answer are kept at most."""
    return max_length * 2 + 100 if max_length else default


class _Answer(Field):
    """Base: ``data`` is the answer, or None when the field was left empty."""

    def _value(self):  # pragma: no cover - rendering is done by our macros
        return ""


class TextAnswer(_Answer):
    def __init__(self, *args, cap: int = DEFAULT_TEXT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.truncated = False

    def process_formdata(self, valuelist):
        text = clean_text(valuelist[0]).strip() if valuelist else ""
        if len(text) > self.cap:
            text, self.truncated = text[:self.cap], True
        self.data = text or None


class NumberAnswer(_Answer):
    """Numbers as Germans write them: 1.250,50 or 1250,5 or 1250.50."""

    def __init__(self, *args, integer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.integer = integer

    def process_formdata(self, valuelist):
        text = re.sub(r"[\s\u00a0€]", "", valuelist[0]) if valuelist else ""
        if not text:
            self.data = None
            return
        if "," in text:  # German: 1.250,50
            normal = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text):  # German thousands without decimals: 3.000 or 1.250.000
            normal = text.replace(".", "")
        else:  # 1250.50 or 1250
            normal = text
        if not _PLAIN.match(normal) or len(normal) > 30:  # people type no exponents, NaN or 40 digits
            self.data = text  # the engine says: enter a number
            return
        try:
            number = Decimal(normal)
        except InvalidOperation:  # pragma: no cover - _PLAIN admits only decimals
            self.data = text
            return
        if self.integer and number == number.to_integral_value():
            self.data = int(number)
        else:
            self.data = number


class DateAnswer(_Answer):
    """Three inputs (Tag, Monat, Jahr) into an ISO date; kept as typed when
    they cannot form one, so the engine asks for a real date."""

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        parts = [(formdata.get(f"{self.name}-{p}") or "").strip() for p in DATE_PARTS] if formdata else ["", "", ""]
        if not any(parts):
            self.data = None
        elif all(p.isdigit() and len(p) <= 4 for p in parts) and len(parts[2]) == 4 and int(parts[2]) in YEARS:
            self.data = f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"
        else:
            self.data = ".".join(clean_text(p)[:10] for p in parts)


class BooleanAnswer(_Answer):
    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = True if value == "true" else False if value == "false" else None


class ConfirmAnswer(_Answer):
    """A single checkbox that must be ticked (``const: true``)."""

    def process_formdata(self, valuelist):
        self.data = True if valuelist and valuelist[0] == "true" else None


class ChoiceAnswer(TextAnswer):
    pass


class MultiChoiceAnswer(_Answer):
    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = list(dict.fromkeys(v[:200] for v in formdata.getlist(self.name) if v))[:100] if formdata else []


def field_for(described: Described, text_limit: int = DEFAULT_TEXT_CAP):
    """The unbound WTForms field that reads a question's answer."""
    if described.kind == "array":
        return MultiChoiceAnswer()
    if described.type == "boolean" and not described.values:
        return BooleanAnswer()
    if described.values == (True,):
        return ConfirmAnswer()
    if described.values:
        return ChoiceAnswer(cap=200)
    if described.constraints.get("format") == "date" or described.widget == "date":
        return DateAnswer()
    if described.type in ("number", "integer"):
        return NumberAnswer(integer=described.type == "integer")
    return TextAnswer(cap=text_cap(described.constraints.get("maxLength"), text_limit))


def read_answers(questions, formdata, *, text_limit: int = DEFAULT_TEXT_CAP,
                 truncated: set | None = None) -> dict[str, object]:
    """``{pointer: answer}`` for the questions whose inputs are in the post.
    Pointers of texts cut at their cap are added to ``truncated``."""
    form = BaseForm([(q.pointer, field_for(q.field, text_limit)) for q in questions], prefix="")
    form.process(formdata)
    present = set(formdata.getlist("present"))
    found = {}
    for q in questions:
        name = q.pointer
        posted = name in formdata or name in present or any(f"{name}-{p}" in formdata for p in DATE_PARTS)
        if posted:
            found[name] = form[name].data
            if truncated is not None and getattr(form[name], "truncated", False):
                truncated.add(name)
    return found
