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
  against ``webapp/translations/<lang>/LC_MESSAGES/messages.mo``.
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

from pathlib import Path
from typing import NamedTuple

from flask import current_app, has_app_context, has_request_context, request, session

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


#: every registered text: key -> German (the msgid)
TEXTS: dict[str, str] = {}
#: English of legacy ``{"de", "en"}`` entries not yet converted to the catalog
LEGACY_EN: dict[str, str] = {}

BASE: dict = {  # the texts every page uses
    "service_name": {"de": "formwerk – Anträge online", "en": "formwerk – applications online"},
    "skip_to_content": {"de": "Zum Inhalt springen", "en": "Skip to main content"},
    "language": {"de": "Sprache", "en": "Language"},
    "switch_to": {"de": "English", "en": "Deutsch"},
    "start_heading": {"de": "Anträge und Anfragen online stellen", "en": "Apply and make requests online"},
    "start_intro": {
        "de": "Sie sehen nur die Fragen, die für Sie gelten. Ihre Angaben werden vor dem Absenden geprüft, und Sie können jederzeit speichern und später weitermachen.",
        "en": "You only see the questions that apply to you. Your answers are checked before you send them, and you can save and continue later at any time.",
    },
    "available_forms": {"de": "Verfügbare Formulare", "en": "Available forms"},
    "no_forms": {"de": "Zurzeit sind keine Formulare veröffentlicht.", "en": "No forms are published at the moment."},
    "version": {"de": "Version", "en": "Version"},
    "what_we_ask": {"de": "Was wir Sie fragen", "en": "What we will ask you"},
    "steps": {"de": "{n} Schritte", "en": "{n} steps"},
    "to_form": {"de": "Zum Formular", "en": "Go to the form"},
    "back_to_start": {"de": "Zurück zur Übersicht", "en": "Back to the overview"},
    "accessibility": {"de": "Erklärung zur Barrierefreiheit", "en": "Accessibility statement"},
    "feedback": {"de": "Rückmeldung geben", "en": "Give feedback"},
    "not_found_title": {"de": "Seite nicht gefunden", "en": "Page not found"},
    "not_found_text": {"de": "Prüfen Sie die Adresse oder gehen Sie zurück zur Übersicht.", "en": "Check the address or go back to the overview."},
    "bad_request_title": {"de": "Die Anfrage konnte nicht verarbeitet werden", "en": "The request could not be processed"},
    "bad_request_text": {"de": "Laden Sie die Seite neu und versuchen Sie es noch einmal. Ihre gespeicherten Angaben bleiben erhalten.", "en": "Reload the page and try again. Your saved answers are kept."},
    "too_large_title": {"de": "Die Datei oder Eingabe ist zu groß", "en": "The file or entry is too large"},
    "too_large_text": {"de": "Senden Sie eine kleinere Datei oder kürzere Angaben.", "en": "Send a smaller file or shorter answers."},
    "server_error_title": {"de": "Es ist ein Fehler aufgetreten", "en": "Something went wrong"},
    "server_error_text": {"de": "Versuchen Sie es später noch einmal. Ihre gespeicherten Angaben bleiben erhalten.", "en": "Try again later. Your saved answers are kept."},
    "a11y_heading": {"de": "Erklärung zur Barrierefreiheit", "en": "Accessibility statement"},
    "a11y_text": {
        "de": "Dieses Angebot soll die Anforderungen der BITV 2.0 und der WCAG 2.1 auf Stufe AA erfüllen. Jede Seitenart wird automatisch mit axe-core geprüft; alle Formulare funktionieren mit der Tastatur und ohne JavaScript.",
        "en": "This service aims to meet BITV 2.0 and WCAG 2.1 level AA. Every page type is checked automatically with axe-core; every form works with the keyboard alone and without JavaScript.",
    },
    "a11y_contact": {
        "de": "Wenn Ihnen Barrieren auffallen, schreiben Sie uns über die Rückmeldeseite Ihres Jobcenters.",
        "en": "If you find a barrier, tell us through your Jobcenter's feedback page.",
    },
    # wizard
    "start_form": {"de": "Jetzt starten", "en": "Start now"},
    "continue_draft": {"de": "Gespeicherten Antrag fortsetzen", "en": "Continue your saved application"},
    "start_hint": {"de": "Sie können jederzeit speichern und später weitermachen. Gespeicherte Angaben werden nach {days} Tagen gelöscht.",
                   "en": "You can save at any time and continue later. Saved answers are deleted after {days} days."},
    "step_of": {"de": "Schritt {n} von {total}", "en": "Step {n} of {total}"},
    "error_summary_title": {"de": "Es gibt ein Problem", "en": "There is a problem"},
    "error_prefix": {"de": "Fehler:", "en": "Error:"},
    "warning_prefix": {"de": "Hinweis:", "en": "Note:"},
    "confirm_warning": {"de": "Ich habe das geprüft, meine Angabe stimmt.", "en": "I have checked this, my answer is correct."},
    "yes": {"de": "Ja", "en": "Yes"},
    "no": {"de": "Nein", "en": "No"},
    "please_choose": {"de": "Bitte auswählen", "en": "Please choose"},
    "day": {"de": "Tag", "en": "Day"},
    "month": {"de": "Monat", "en": "Month"},
    "year": {"de": "Jahr", "en": "Year"},
    "date_hint": {"de": "Zum Beispiel 27 3 1985", "en": "For example 27 3 1985"},
    "next": {"de": "Weiter", "en": "Continue"},
    "save_later": {"de": "Speichern und später weitermachen", "en": "Save and continue later"},
    "add_item": {"de": "Weiteren Eintrag hinzufügen", "en": "Add another entry"},
    "add_first_item": {"de": "Eintrag hinzufügen", "en": "Add an entry"},
    "remove_item": {"de": "Diesen Eintrag entfernen", "en": "Remove this entry"},
    "entry": {"de": "Eintrag", "en": "Entry"},
    "no_entries": {"de": "Noch keine Einträge.", "en": "No entries yet."},
    "questions_changed": {"de": "Die Fragen auf dieser Seite wurden an Ihre Antwort angepasst.", "en": "The questions on this page have been adapted to your answer."},
    "questions_added": {"de": "Nach Ihrer Antwort kommen weitere Fragen hinzu. Bitte beantworten Sie auch diese.", "en": "Your answer adds further questions. Please answer these too."},
    "item_added": {"de": "Ein neuer Eintrag wurde hinzugefügt.", "en": "A new entry has been added."},
    "item_removed": {"de": "Der Eintrag wurde entfernt.", "en": "The entry has been removed."},
    "tasklist_title": {"de": "Ihr Antrag", "en": "Your application"},
    "tasklist_progress": {"de": "Sie haben {done} von {total} Abschnitten abgeschlossen.", "en": "You have completed {done} of {total} sections."},
    "status_not_started": {"de": "Nicht begonnen", "en": "Not started"},
    "status_in_progress": {"de": "Begonnen", "en": "In progress"},
    "status_done": {"de": "Erledigt", "en": "Completed"},
    "status_has_errors": {"de": "Enthält Fehler", "en": "Has errors"},
    "to_review": {"de": "Angaben prüfen und absenden", "en": "Check your answers and send"},
    "saved_title": {"de": "Ihre Angaben sind gespeichert", "en": "Your answers are saved"},
    "saved_text": {"de": "Mit diesem Link können Sie später weitermachen, auch auf einem anderen Gerät. Bewahren Sie ihn gut auf: Wer den Link hat, kann Ihre Angaben sehen.",
                   "en": "With this link you can continue later, also on another device. Keep it safe: anyone with the link can see your answers."},
    "resume_link": {"de": "Ihr Link zum Fortsetzen", "en": "Your link to continue"},
    "saved_until": {"de": "Gespeichert bis {date}.", "en": "Saved until {date}."},
    "back_to_tasks": {"de": "Zurück zu Ihrem Antrag", "en": "Back to your application"},
    "resume_failed_title": {"de": "Dieser Link ist nicht mehr gültig", "en": "This link is no longer valid"},
    "resume_failed_text": {"de": "Gespeicherte Angaben werden nach einiger Zeit gelöscht, und ein abgesendeter Antrag kann nicht mehr geändert werden. Beginnen Sie bitte neu.",
                           "en": "Saved answers are deleted after some time, and a sent application cannot be changed. Please start again."},
    "no_draft": {"de": "Wir haben keinen begonnenen Antrag gefunden. Sie können hier neu beginnen.", "en": "We found no application in progress. You can start here."},
    "review_title": {"de": "Prüfen Sie Ihre Angaben", "en": "Check your answers"},
    "change": {"de": "Ändern", "en": "Change"},
    "estimate_title": {"de": "Unverbindliche Schätzung", "en": "Non-binding estimate"},
    "estimate_note": {"de": "Diese Schätzung ist keine Entscheidung. Das Jobcenter berechnet Ihren Anspruch verbindlich.", "en": "This estimate is not a decision. The Jobcenter will calculate your entitlement."},
    "estimate_total": {"de": "Geschätzter Anspruch im Monat", "en": "Estimated entitlement a month"},
    "discarded_title": {"de": "Diese Angaben werden nicht übermittelt", "en": "These answers will not be sent"},
    "discarded_text": {"de": "Nach Ihren späteren Antworten gelten diese Fragen nicht mehr für Sie.", "en": "After your later answers these questions no longer apply to you."},
    "warnings_title": {"de": "Bitte bestätigen Sie diese Hinweise", "en": "Please confirm these notes"},
    "confirm_button": {"de": "Bestätigungen speichern", "en": "Save confirmations"},
    "errors_open": {"de": "Ihr Antrag enthält noch Fehler. Bitte korrigieren Sie sie, bevor Sie absenden.", "en": "Your application still has errors. Please correct them before you send it."},
    "documents_title": {"de": "Diese Nachweise brauchen wir", "en": "The documents we need"},
    "documents_later": {"de": "Sie können Nachweise auch später einreichen.", "en": "You can also send documents later."},
    "send_title": {"de": "Antrag absenden", "en": "Send your application"},
    "send_text": {"de": "Mit dem Absenden bestätigen Sie, dass Ihre Angaben richtig und vollständig sind. Danach können Sie sie nicht mehr ändern.",
                  "en": "By sending you confirm that your answers are correct and complete. You cannot change them afterwards."},
    "send_button": {"de": "Verbindlich absenden", "en": "Send (legally binding)"},
    "cannot_submit": {"de": "Der Antrag kann noch nicht abgesendet werden. Bitte korrigieren Sie die Fehler und bestätigen Sie alle Hinweise.",
                      "en": "The application cannot be sent yet. Please correct the errors and confirm every note."},
    "receipt_title": {"de": "Ihr Antrag ist eingegangen", "en": "Your application has been received"},
    "reference": {"de": "Ihr Aktenzeichen", "en": "Your reference number"},
    "received_at": {"de": "Eingegangen am", "en": "Received on"},
    "form_version": {"de": "Formular und Version", "en": "Form and version"},
    "data_hash": {"de": "Prüfsumme Ihrer Angaben (SHA-256)", "en": "Checksum of your answers (SHA-256)"},
    "status_code": {"de": "Ihr Zugangscode für die Statusabfrage", "en": "Your access code for the status check"},
    "status_code_hint": {"de": "Notieren Sie Aktenzeichen und Zugangscode. Damit sehen Sie jederzeit, wie weit Ihr Antrag ist.",
                         "en": "Note down the reference number and the access code. With them you can see at any time how far your application has got."},
    "what_next": {"de": "Wie es weitergeht", "en": "What happens next"},
    "what_next_text": {"de": "Das Jobcenter prüft Ihren Antrag und meldet sich bei Ihnen, wenn etwas fehlt.", "en": "The Jobcenter checks your application and contacts you if anything is missing."},
    "your_answers": {"de": "Ihre Angaben", "en": "Your answers"},
    "status_title": {"de": "Stand Ihres Antrags", "en": "Status of your application"},
    "status_lookup": {"de": "Status abfragen", "en": "Check status"},
    "status_failed": {"de": "Zu diesem Aktenzeichen und Zugangscode haben wir keinen Antrag gefunden. Prüfen Sie beide Angaben.",
                      "en": "We found no application for this reference number and access code. Check both."},
    "status_is": {"de": "Status", "en": "Status"},
    "status_eingegangen": {"de": "Eingegangen – wird bearbeitet", "en": "Received – being processed"},
    "sections_nav": {"de": "Abschnitte", "en": "Sections"},
    "page_has_errors_title": {"de": "Fehler: ", "en": "Error: "},
    "documents_page_title": {"de": "Nachweise hochladen", "en": "Upload documents"},
    "documents_intro": {"de": "Nach Ihren Angaben brauchen wir diese Nachweise. Laden Sie PDF-, JPEG- oder PNG-Dateien hoch. Sie können Nachweise auch später einreichen.",
                        "en": "From your answers we need these documents. Upload PDF, JPEG or PNG files. You can also send documents later."},
    "documents_none": {"de": "Nach Ihren bisherigen Angaben brauchen wir keine Nachweise.", "en": "From your answers so far we need no documents."},
    "choose_file": {"de": "Datei auswählen", "en": "Choose a file"},
    "file_hint": {"de": "PDF, JPEG oder PNG, höchstens {mb} MB.", "en": "PDF, JPEG or PNG, at most {mb} MB."},
    "upload_button": {"de": "Hochladen", "en": "Upload"},
    "delete_file": {"de": "Löschen", "en": "Delete"},
    "uploaded": {"de": "Hochgeladen", "en": "Uploaded"},
    "missing": {"de": "Fehlt noch", "en": "Still missing"},
    "upload_missing": {"de": "Wählen Sie eine Datei aus.", "en": "Choose a file."},
    "upload_empty": {"de": "Die Datei ist leer. Wählen Sie eine andere Datei aus.", "en": "The file is empty. Choose another file."},
    "upload_too_large": {"de": "Die Datei ist zu groß. Laden Sie eine kleinere Datei hoch, zum Beispiel einen Scan mit geringerer Auflösung.",
                         "en": "The file is too large. Upload a smaller file, for example a scan at a lower resolution."},
    "upload_wrong_type": {"de": "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch.", "en": "Upload a PDF, JPEG or PNG file."},
    "to_documents": {"de": "Nachweise hochladen", "en": "Upload documents"},
    "end_session": {"de": "Sitzung beenden", "en": "End session"},
    "session_ended": {"de": "Ihre Sitzung ist beendet. Auf diesem Gerät sind keine Angaben mehr geöffnet. Gespeicherte Anträge erreichen Sie weiter mit Ihrem Link.",
                      "en": "Your session has ended. No answers are open on this device any more. You can still reach saved applications with your link."},
    "download_pdf": {"de": "Eingangsbestätigung als PDF herunterladen", "en": "Download the acknowledgement as PDF"},
    "documents_sent": {"de": "Übermittelte Nachweise", "en": "Documents sent"},
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


def translate(key: str, lang: str, **values) -> str:
    """The text ``key`` in ``lang`` (German when the catalog has no English),
    its ``{placeholders}`` filled from ``values``."""
    german = TEXTS[key]
    found = german
    if lang != SOURCE_LANGUAGE:
        if has_app_context():
            from flask_babel import force_locale, pgettext

            with force_locale(lang):
                found = pgettext(key, german)
        if found == german:
            found = LEGACY_EN.get(key, german)
    return found.format(**values) if values else found


def text(key: str, **values) -> str:
    """The text ``key`` in the visitor's language (``t`` in templates)."""
    return translate(key, language(), **values)


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
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


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
