"""Every text of a form beside its translation, and edits to translations.

Texts in the form's default language are ``title``, ``description``,
``x-options`` and ``x-messages`` of a subschema (translations in
``x-i18n.<lang>`` as ``title``/``description``/``options``/``messages``), and
the per-language objects of ``x-rules`` messages and ``x-documents`` titles
and descriptions. Texts are grouped by the root property they belong to, so
one page never posts more fields than the app accepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from engine.form import escape_token

_SKIP = ("x-i18n", "const", "enum", "default", "examples", "x-compute", "x-rules", "x-documents", "x-options",
         "x-messages", "required")
GENERAL = "-"  # the group of texts outside the root's properties


@dataclass(frozen=True)
class Text:
    key: str  # "<schema pointer>|<kind>|<name>", the form field's name
    group: str
    pointer: str  # where in the form definition (for the editor link)
    what: str  # title | description | option | message | rule | document-title | document-description
    name: str  # option value, message code or rule/document id ("" for title/description)
    source: str
    translation: str | None

    @property
    def missing(self) -> bool:
        return not self.translation


def languages(schema: dict) -> tuple[str, list[str]]:
    default = schema.get("x-lang") if isinstance(schema.get("x-lang"), str) else "de"
    declared = schema.get("x-languages") if isinstance(schema.get("x-languages"), list) else []
    targets = [lang for lang in declared if isinstance(lang, str) and lang != default]
    return default, targets or ["en" if default != "en" else "de"]


def _i18n(raw: dict, lang: str) -> dict:
    i18n = raw.get("x-i18n")
    found = i18n.get(lang) if isinstance(i18n, dict) else None
    return found if isinstance(found, dict) else {}


def texts(schema: dict, lang: str) -> list[Text]:
    return list(_walk(schema, "", GENERAL, lang))


def _walk(raw: Any, pointer: str, group: str, lang: str) -> Iterator[Text]:
    if isinstance(raw, list):
        for i, item in enumerate(raw):
            yield from _walk(item, f"{pointer}/{i}", group, lang)
        return
    if not isinstance(raw, dict):
        return
    own = _i18n(raw, lang)
    for key in ("title", "description"):
        if isinstance(raw.get(key), str):
            yield Text(f"{pointer}|{key}|", group, pointer, key, "", raw[key], own.get(key))
    for field, target in (("x-options", "options"), ("x-messages", "messages")):
        if isinstance(raw.get(field), dict):
            translated = own.get(target) if isinstance(own.get(target), dict) else {}
            for name, text in raw[field].items():
                if isinstance(text, str):
                    what = "option" if target == "options" else "message"
                    yield Text(f"{pointer}|{what}|{name}", group, f"{pointer}/{field}/{escape_token(name)}", what,
                               name, text, translated.get(name))
    for field, parts in (("x-rules", ("message",)), ("x-documents", ("title", "description"))):
        for i, entry in enumerate(raw.get(field) or ()):
            if not isinstance(entry, dict):
                continue
            for part in parts:
                texts_ = entry.get(part)
                if isinstance(texts_, dict):
                    default = next((v for k, v in texts_.items() if k != lang and isinstance(v, str)), None)
                    if default is not None:
                        what = "rule" if field == "x-rules" else f"document-{part}"
                        yield Text(f"{pointer}/{field}/{i}|{what}|{part}", group, f"{pointer}/{field}/{i}/{part}",
                                   what, str(entry.get("id", i)), default, texts_.get(lang))
    for key, value in raw.items():
        if key in _SKIP or not isinstance(value, (dict, list)):
            continue
        child = f"{pointer}/{escape_token(key)}"
        if key == "properties" and isinstance(value, dict):
            for name, sub in value.items():
                sub_pointer = f"{child}/{escape_token(name)}"
                yield from _walk(sub, sub_pointer, name if pointer == "" else group, lang)
        else:
            yield from _walk(value, child, group, lang)


def _resolve(schema: dict, pointer: str) -> Any:
    node: Any = schema
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def apply(schema: dict, lang: str, edits: dict[str, str]) -> int:
    """Set the translations ``edits`` (text key -> text; empty removes it);
    returns how many changed. Unknown keys are ignored."""
    known = {t.key: t for t in texts(schema, lang)}
    changed = 0
    for key, value in edits.items():
        text = known.get(key)
        value = (value or "").strip()
        if text is None or value == (text.translation or ""):
            continue
        pointer, what, name = key.split("|", 2)
        target = _resolve(schema, pointer)
        if what in ("rule", "document-title", "document-description"):
            if value:
                target[name][lang] = value
            else:
                target[name].pop(lang, None)
        else:
            own = target.setdefault("x-i18n", {}).setdefault(lang, {})
            if what in ("title", "description"):
                holder, slot = own, what
            else:
                holder, slot = own.setdefault("options" if what == "option" else "messages", {}), name
            if value:
                holder[slot] = value
            else:
                holder.pop(slot, None)
        changed += 1
    return changed
