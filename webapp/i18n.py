"""The interface texts of the web app: German is the source, English comes
from a gettext catalog (Flask-Babel), so translators work with standard tools.

The language is chosen by ``?lang=de|en`` (a plain link, so it works without
JavaScript), remembered in the session, and set as the page's ``lang``; the
same choice is Flask-Babel's locale selector, so ``gettext``/``_`` in
templates and Babel's number and date formats follow it too.

How a text is defined, looked up and translated
------------------------------------------------

* Each part keeps its texts in its own table and registers it with
  :func:`register`::

      TEXTS = {"start_form": NC_("start_form", "Jetzt starten"), ...}

  The key is the programmatic handle (``t("start_form")`` in templates,
  :func:`text` in code); :func:`NC_` marks the German text for extraction
  with the key as its gettext *context* (``msgctxt``), so two keys with the
  same German but different English stay apart. ``NC_`` does not translate;
  :func:`text` and :func:`translate` do, with ``pgettext(key, german)``
  against ``webapp/translations/<lang>/LC_MESSAGES/messages.mo`` (the same
  catalog Flask-Babel serves to ``_()`` in templates, read once a process).
* Tables whose users index by language (the workflow's state labels, the
  default legal texts) hold ``by_language(NC_(key, german))``: a read-only
  ``{"de": …, "en": …}`` mapping backed by the catalog.
* Placeholders are ``str.format`` fields (``{n}``), filled after translation.
* ``babel.cfg`` tells ``pybabel extract`` where texts are (Python with the
  keyword ``NC_:1c,2``, Jinja templates with ``_``/``gettext``); the English
  catalog ``messages.po`` is committed, the ``.mo`` is compiled by ``make
  setup`` (and by the test session when it is missing or stale).
* Transition: a legacy entry ``{"de": ..., "en": ...}`` is still accepted by
  :func:`register` (its English is used until the catalog has one).
  ``tools/texts_to_catalog.py`` rewrites such entries in place to ``NC_`` and
  adds their English to the catalog; it is idempotent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flask import current_app, has_request_context, request, session

#: the language texts are written in (the msgid of every catalog entry)
SOURCE_LANGUAGE = "de"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class Text(NamedTuple):
    """A text as a table holds it: its key (the gettext context) and its German."""

    key: str
    german: str


def NC_(key: str, german: str) -> Text:  # noqa: N802 - the gettext convention for "mark with context"
    """Mark ``german`` for extraction under the context ``key`` (no translation here)."""
    return Text(key, german)


class ByLanguage(Mapping):
    """A registered text seen as ``{"de": …, "en": …}``, for tables whose
    users index by language (``OUTCOMES[outcome][lang]``); the English comes
    from the catalog like every other text."""

    def __init__(self, marked: Text):
        register({marked.key: marked})
        self.key = marked.key

    def __getitem__(self, lang: str) -> str:
        if lang not in languages():
            raise KeyError(lang)
        return translate(self.key, lang)

    def __iter__(self):
        return iter(languages())

    def __len__(self) -> int:
        return len(languages())

    def __repr__(self) -> str:
        return f"ByLanguage({self.key!r})"


def by_language(marked: Text) -> ByLanguage:
    return ByLanguage(marked)


@cache
def languages() -> tuple[str, ...]:
    """German and every language with a catalog."""
    return (SOURCE_LANGUAGE, *sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")))


#: every registered text: key -> German (the msgid)
TEXTS: dict[str, str] = {}
#: English of legacy ``{"de", "en"}`` entries not yet converted to the catalog
LEGACY_EN: dict[str, str] = {}

BASE: dict = {  # the texts every page uses
    "service_name": NC_("service_name", "formwerk – Anträge online"),
    "skip_to_content": NC_("skip_to_content", "Zum Inhalt springen"),
    "language": NC_("language", "Sprache"),
    "switch_to": NC_("switch_to", "English"),
    "start_heading": NC_("start_heading", "Anträge und Anfragen online stellen"),
    "start_intro": NC_("start_intro", "Sie sehen nur die Fragen, die für Sie gelten. Ihre Angaben werden vor dem Absenden geprüft, und Sie können jederzeit speichern und später weitermachen."),
    "available_forms": NC_("available_forms", "Verfügbare Formulare"),
    "no_forms": NC_("no_forms", "Zurzeit sind keine Formulare veröffentlicht."),
    "version": NC_("version", "Version"),
    "what_we_ask": NC_("what_we_ask", "Was wir Sie fragen"),
    "steps": NC_("steps", "{n} Schritte"),
    "to_form": NC_("to_form", "Zum Formular"),
    "back_to_start": NC_("back_to_start", "Zurück zur Übersicht"),
    "accessibility": NC_("accessibility", "Erklärung zur Barrierefreiheit"),
    "feedback": NC_("feedback", "Rückmeldung geben"),
    "not_found_title": NC_("not_found_title", "Seite nicht gefunden"),
    "not_found_text": NC_("not_found_text", "Prüfen Sie die Adresse oder gehen Sie zurück zur Übersicht."),
    "bad_request_title": NC_("bad_request_title", "Die Anfrage konnte nicht verarbeitet werden"),
    "bad_request_text": NC_("bad_request_text", "Laden Sie die Seite neu und versuchen Sie es noch einmal. Ihre gespeicherten Angaben bleiben erhalten."),
    "too_large_title": NC_("too_large_title", "Die Datei oder Eingabe ist zu groß"),
    "too_large_text": NC_("too_large_text", "Senden Sie eine kleinere Datei oder kürzere Angaben."),
    "server_error_title": NC_("server_error_title", "Es ist ein Fehler aufgetreten"),
    "server_error_text": NC_("server_error_text", "Versuchen Sie es später noch einmal. Ihre gespeicherten Angaben bleiben erhalten."),
    "a11y_heading": NC_("a11y_heading", "Erklärung zur Barrierefreiheit"),
    "a11y_text": NC_("a11y_text", "Dieses Angebot soll die Anforderungen der BITV 2.0 und der WCAG 2.1 auf Stufe AA erfüllen. Jede Seitenart wird automatisch mit axe-core geprüft; alle Formulare funktionieren mit der Tastatur und ohne JavaScript."),
    "a11y_contact": NC_("a11y_contact", "Wenn Ihnen Barrieren auffallen, schreiben Sie uns über die Rückmeldeseite Ihres Jobcenters."),
    # wizard
    "start_form": NC_("start_form", "Jetzt starten"),
    "continue_draft": NC_("continue_draft", "Gespeicherten Antrag fortsetzen"),
    "start_hint": NC_("start_hint", "Sie können jederzeit speichern und später weitermachen. Gespeicherte Angaben werden nach {days} Tagen gelöscht."),
    "step_of": NC_("step_of", "Schritt {n} von {total}"),
    "error_summary_title": NC_("error_summary_title", "Es gibt ein Problem"),
    "error_prefix": NC_("error_prefix", "Fehler:"),
    "warning_prefix": NC_("warning_prefix", "Hinweis:"),
    "confirm_warning": NC_("confirm_warning", "Ich habe das geprüft, meine Angabe stimmt."),
    "yes": NC_("yes", "Ja"),
    "no": NC_("no", "Nein"),
    "value_confirmed": NC_("value_confirmed", "bestätigt"),
    "document_of": NC_("document_of", "{document} von {name}"),
    "issue_of": NC_("issue_of", "{label} von {name}: {message}"),
    "entry_of": NC_("entry_of", "{entry} von {name}"),
    "entry_of_partner": NC_("entry_of_partner", "{entry} Ihrer Partnerin oder Ihres Partners"),
    "please_choose": NC_("please_choose", "Bitte auswählen"),
    "day": NC_("day", "Tag"),
    "month": NC_("month", "Monat"),
    "year": NC_("year", "Jahr"),
    "date_hint": NC_("date_hint", "Zum Beispiel 27 3 1985"),
    "next": NC_("next", "Weiter"),
    "save_later": NC_("save_later", "Speichern und später weitermachen"),
    "add_item": NC_("add_item", "Weiteren Eintrag hinzufügen"),
    "add_first_item": NC_("add_first_item", "Eintrag hinzufügen"),
    "remove_item": NC_("remove_item", "Diesen Eintrag entfernen"),
    "entry": NC_("entry", "Eintrag"),
    "no_entries": NC_("no_entries", "Noch keine Einträge."),
    "questions_changed": NC_("questions_changed", "Die Fragen auf dieser Seite wurden an Ihre Antwort angepasst."),
    "questions_added": NC_("questions_added", "Nach Ihrer Antwort kommen weitere Fragen hinzu. Bitte beantworten Sie auch diese."),
    "item_added": NC_("item_added", "Ein neuer Eintrag wurde hinzugefügt."),
    "item_removed": NC_("item_removed", "Der Eintrag wurde entfernt."),
    "tasklist_title": NC_("tasklist_title", "Ihr Antrag"),
    "tasklist_progress": NC_("tasklist_progress", "Sie haben {done} von {total} Abschnitten abgeschlossen."),
    "status_not_started": NC_("status_not_started", "Nicht begonnen"),
    "status_in_progress": NC_("status_in_progress", "Begonnen"),
    "status_done": NC_("status_done", "Erledigt"),
    "status_has_errors": NC_("status_has_errors", "Enthält Fehler"),
    "to_review": NC_("to_review", "Angaben prüfen und absenden"),
    "saved_title": NC_("saved_title", "Ihre Angaben sind gespeichert"),
    "saved_text": NC_("saved_text", "Mit diesem Link können Sie später weitermachen, auch auf einem anderen Gerät. Bewahren Sie ihn gut auf: Wer den Link hat, kann Ihre Angaben sehen."),
    "resume_link": NC_("resume_link", "Ihr Link zum Fortsetzen"),
    "saved_until": NC_("saved_until", "Gespeichert bis {date}."),
    "back_to_tasks": NC_("back_to_tasks", "Zurück zu Ihrem Antrag"),
    "resume_failed_title": NC_("resume_failed_title", "Dieser Link ist nicht mehr gültig"),
    "resume_failed_text": NC_("resume_failed_text", "Gespeicherte Angaben werden nach einiger Zeit gelöscht, und ein abgesendeter Antrag kann nicht mehr geändert werden. Beginnen Sie bitte neu."),
    "no_draft": NC_("no_draft", "Wir haben keinen begonnenen Antrag gefunden. Sie können hier neu beginnen."),
    "review_title": NC_("review_title", "Prüfen Sie Ihre Angaben"),
    "change": NC_("change", "Ändern"),
    "estimate_title": NC_("estimate_title", "Unverbindliche Schätzung"),
    "estimate_note": NC_("estimate_note", "Diese Schätzung ist keine Entscheidung. Das Jobcenter berechnet Ihren Anspruch verbindlich."),
    "estimate_total": NC_("estimate_total", "Geschätzter Anspruch im Monat"),
    "discarded_title": NC_("discarded_title", "Diese Angaben werden nicht übermittelt"),
    "discarded_text": NC_("discarded_text", "Nach Ihren späteren Antworten gelten diese Fragen nicht mehr für Sie."),
    "discarded_file": NC_("discarded_file", "Hochgeladene Datei „{filename}“ ({document})"),
    "warnings_title": NC_("warnings_title", "Bitte bestätigen Sie diese Hinweise"),
    "confirm_button": NC_("confirm_button", "Bestätigungen speichern"),
    "errors_open": NC_("errors_open", "Ihr Antrag enthält noch Fehler. Bitte korrigieren Sie sie, bevor Sie absenden."),
    "documents_title": NC_("documents_title", "Diese Nachweise brauchen wir"),
    "documents_later": NC_("documents_later", "Sie können Nachweise auch später einreichen."),
    "send_title": NC_("send_title", "Antrag absenden"),
    "send_text": NC_("send_text", "Mit dem Absenden bestätigen Sie, dass Ihre Angaben richtig und vollständig sind. Danach können Sie sie nicht mehr ändern."),
    "send_button": NC_("send_button", "Verbindlich absenden"),
    "cannot_submit": NC_("cannot_submit", "Der Antrag kann noch nicht abgesendet werden. Bitte korrigieren Sie die Fehler und bestätigen Sie alle Hinweise."),
    "receipt_title": NC_("receipt_title", "Ihr Antrag ist eingegangen"),
    "reference": NC_("reference", "Ihr Aktenzeichen"),
    "received_at": NC_("received_at", "Eingegangen am"),
    "form_version": NC_("form_version", "Formular und Version"),
    "data_hash": NC_("data_hash", "Prüfsumme Ihrer Angaben (SHA-256)"),
    "status_code": NC_("status_code", "Ihr Zugangscode für die Statusabfrage"),
    "status_code_hint": NC_("status_code_hint", "Notieren Sie Aktenzeichen und Zugangscode. Damit sehen Sie jederzeit, wie weit Ihr Antrag ist."),
    "what_next": NC_("what_next", "Wie es weitergeht"),
    "what_next_text": NC_("what_next_text", "Das Jobcenter prüft Ihren Antrag und meldet sich bei Ihnen, wenn etwas fehlt."),
    "your_answers": NC_("your_answers", "Ihre Angaben"),
    "status_title": NC_("status_title", "Stand Ihres Antrags"),
    "status_lookup": NC_("status_lookup", "Status abfragen"),
    "status_failed": NC_("status_failed", "Zu diesem Aktenzeichen und Zugangscode haben wir keinen Antrag gefunden. Prüfen Sie beide Angaben."),
    "status_is": NC_("status_is", "Status"),
    "status_eingegangen": NC_("status_eingegangen", "Eingegangen – wird bearbeitet"),
    "sections_nav": NC_("sections_nav", "Abschnitte"),
    "page_has_errors_title": NC_("page_has_errors_title", "Fehler: "),
    "documents_page_title": NC_("documents_page_title", "Nachweise hochladen"),
    "documents_intro": NC_("documents_intro", "Nach Ihren Angaben brauchen wir diese Nachweise. Laden Sie PDF-, JPEG- oder PNG-Dateien hoch. Sie können Nachweise auch später einreichen."),
    "documents_none": NC_("documents_none", "Nach Ihren bisherigen Angaben brauchen wir keine Nachweise."),
    "choose_file": NC_("choose_file", "Datei auswählen"),
    "file_hint": NC_("file_hint", "PDF, JPEG oder PNG, höchstens {mb} MB."),
    "upload_button": NC_("upload_button", "Hochladen"),
    "delete_file": NC_("delete_file", "Löschen"),
    "uploaded": NC_("uploaded", "Hochgeladen"),
    "missing": NC_("missing", "Fehlt noch"),
    "upload_missing": NC_("upload_missing", "Wählen Sie eine Datei aus."),
    "upload_empty": NC_("upload_empty", "Die Datei ist leer. Wählen Sie eine andere Datei aus."),
    "upload_too_large": NC_("upload_too_large", "Die Datei ist zu groß. Laden Sie eine kleinere Datei hoch, zum Beispiel einen Scan mit geringerer Auflösung."),
    "upload_wrong_type": NC_("upload_wrong_type", "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch."),
    "to_documents": NC_("to_documents", "Nachweise hochladen"),
    "end_session": NC_("end_session", "Sitzung beenden"),
    "session_ended": NC_("session_ended", "Ihre Sitzung ist beendet. Auf diesem Gerät sind keine Angaben mehr geöffnet. Gespeicherte Anträge erreichen Sie weiter mit Ihrem Link."),
    "download_pdf": NC_("download_pdf", "Eingangsbestätigung als PDF herunterladen"),
    "documents_sent": NC_("documents_sent", "Übermittelte Nachweise"),
}


def register(texts: dict) -> None:
    """Add a part's own texts (the office, the studio, ...) to the table.
    Each part keeps its texts in its own module; keys must not collide.
    Entries are ``NC_(key, german)``, or during the transition legacy
    ``{"de": ..., "en": ...}`` dicts."""
    found: dict[str, tuple[str, str | None]] = {}
    for key, entry in texts.items():
        if isinstance(entry, Text):
            if entry.key != key:
                raise ValueError(f"text {key!r} is marked with the context {entry.key!r}")
            found[key] = (entry.german, None)
        elif isinstance(entry, dict) and isinstance(entry.get("de"), str):
            found[key] = (entry["de"], entry.get("en"))
        else:
            raise TypeError(f"text {key!r} is neither NC_(key, german) nor {{'de': ..., 'en': ...}}")
    clash = {key for key, (german, english) in found.items()
             if key in TEXTS and (TEXTS[key] != german or (english and LEGACY_EN.get(key, english) != english))}
    if clash:
        raise ValueError(f"text keys defined twice: {sorted(clash)}")
    for key, (german, english) in found.items():
        TEXTS[key] = german
        if english:
            LEGACY_EN[key] = english


register(BASE)


def language() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    return current_app.config["DEFAULT_LANGUAGE"]


def _locale_selector() -> str:
    """Flask-Babel's locale: the visitor's language in a request, else the default."""
    return language() if has_request_context() else current_app.config["DEFAULT_LANGUAGE"]


def translate(key: str, lang: str, /, **values) -> str:
    """The text ``key`` in ``lang`` (German when the catalog has no English),
    its ``{placeholders}`` filled from ``values``."""
    german = TEXTS[key]
    found = german
    if lang != SOURCE_LANGUAGE:
        found = _catalog(lang).pgettext(key, german)
        if found == german:
            found = LEGACY_EN.get(key, german)
    return found.format(**values) if values else found


@cache
def _catalog(lang: str):
    """The compiled catalog of ``lang``: the same ``.mo`` Flask-Babel loads
    for ``_()`` in templates, read once per process (also outside the app)."""
    from babel.support import Translations

    return Translations.load(str(TRANSLATIONS), [lang])


def current_language() -> str:
    """The visitor's language, chosen once per request (Flask-Babel's locale)."""
    from flask_babel import get_locale

    locale = get_locale() if has_request_context() else None
    return locale.language if locale is not None else current_app.config["DEFAULT_LANGUAGE"]


def text(key: str, /, **values) -> str:
    """The text ``key`` in the visitor's language (``t`` in templates)."""
    return translate(key, current_language(), **values)


def catalogs_stale() -> list[Path]:
    """The ``.po`` catalogs whose ``.mo`` is missing or older (``make setup`` compiles them)."""
    stale = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogs() -> None:
    """Compile every stale ``messages.po`` to ``messages.mo`` (what ``pybabel compile`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in catalogs_stale():
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = po.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, po.with_suffix(".mo"))  # atomic: a process reading it never sees half a file


def same_origin_path(path: str) -> str:
    """``path`` as a link that cannot leave this origin: ``/\\evil.test`` or
    ``//evil.test`` would be read by browsers as another host."""
    from urllib.parse import quote

    return "/" + quote(path.lstrip("/\\"), safe="/-._~!$&'()*+,;=:@")


def init_app(app) -> None:
    from flask_babel import Babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin")
    Babel(app, locale_selector=_locale_selector, default_translation_directories=str(TRANSLATIONS))

    @app.context_processor
    def inject():
        lang = language()
        other = next(code for code in app.config["LANGUAGES"] if code != lang)
        args = {**request.args.to_dict(), "lang": other}
        from urllib.parse import urlencode

        return {"t": text, "lang": lang, "other_lang": other,
                "switch_url": f"{same_origin_path(request.path)}?{urlencode(args)}",
                "has_session": bool(session.get("drafts") or session.get("receipts")
                                    or session.get("appointments"))}
