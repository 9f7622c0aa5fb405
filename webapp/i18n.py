"""The interface texts of the web app, German first, with English.

The language is chosen by ``?lang=de|en`` (a plain link, so it works without
JavaScript), remembered in the session, and set as the page's ``lang``."""

from __future__ import annotations

from flask import current_app, request, session

TEXTS: dict[str, dict[str, str]] = {
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
}


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


def text(key: str, **values) -> str:
    lang = language()
    template = TEXTS[key].get(lang) or TEXTS[key]["de"]
    return template.format(**values) if values else template


def init_app(app) -> None:
    @app.context_processor
    def inject():
        lang = language()
        other = next(code for code in app.config["LANGUAGES"] if code != lang)
        args = {**request.args.to_dict(), "lang": other}
        from urllib.parse import urlencode

        return {"t": text, "lang": lang, "other_lang": other,
                "switch_url": f"{request.path}?{urlencode(args)}"}
