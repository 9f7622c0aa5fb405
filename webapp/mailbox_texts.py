"""Texts of the applicant's case page and mailbox (webapp/mailbox.py),
German first with English. Also the status texts of the status page for
every state of the office's workflow (the page shows ``status_<state>``)."""

from __future__ import annotations

from . import i18n
from .office import workflow
from webapp.i18n import NC_

TEXTS: dict[str, dict[str, str]] = {
    "mb_lookup_title": NC_("mb_lookup_title", "Ihr Vorgang und Ihr Postfach"),
    "mb_lookup_intro": NC_("mb_lookup_intro", "Geben Sie Ihr Aktenzeichen und Ihren Zugangscode ein. Sie finden beide in Ihrer Eingangsbestätigung."),
    "mb_lookup_button": NC_("mb_lookup_button", "Vorgang öffnen"),
    "mb_to_case": NC_("mb_to_case", "Zu Ihrem Vorgang und Postfach"),
    "mb_case_title": NC_("mb_case_title", "Ihr Vorgang"),
    "mb_back_to_case": NC_("mb_back_to_case", "Zurück zu Ihrem Vorgang"),
    "mb_deadline": NC_("mb_deadline", "Unterlagen einreichen bis"),
    "mb_requests_title": NC_("mb_requests_title", "Das Jobcenter braucht noch Unterlagen"),
    "mb_request_of": NC_("mb_request_of", "Anforderung vom {date} – bitte bis {deadline} einreichen"),
    "mb_request_ready": NC_("mb_request_ready", "Zu jedem Punkt liegt eine Datei vor. Senden Sie die Unterlagen jetzt an das Jobcenter."),
    "mb_request_send": NC_("mb_request_send", "Unterlagen absenden"),
    "mb_request_not_ready": NC_("mb_request_not_ready", "Laden Sie zu jedem Punkt mindestens eine Datei hoch. Danach können Sie die Unterlagen absenden."),
    "mb_request_incomplete": NC_("mb_request_incomplete", "Es fehlt noch mindestens eine Datei. Laden Sie zu jedem Punkt eine Datei hoch."),
    "mb_request_answered": NC_("mb_request_answered", "Ihre Unterlagen sind beim Jobcenter eingegangen. Vielen Dank."),
    "mb_request_closed": NC_("mb_request_closed", "Diese Anforderung ist bereits erledigt."),
    "mb_quota_item": NC_("mb_quota_item", "Zu diesem Punkt haben Sie schon die höchste Zahl von Dateien hochgeladen. Löschen Sie eine Datei, bevor Sie eine neue hochladen."),
    "mb_quota_total": NC_("mb_quota_total", "Ihre Unterlagen sind zusammen zu groß geworden. Laden Sie kleinere Dateien hoch, zum Beispiel Scans mit geringerer Auflösung."),
    "mb_changed_meanwhile": NC_("mb_changed_meanwhile", "Ihr Vorgang wurde gerade geändert. Bitte prüfen Sie den aktuellen Stand und versuchen Sie es noch einmal."),
    "mb_mailbox_title": NC_("mb_mailbox_title", "Ihr Postfach"),
    "mb_mailbox_empty": NC_("mb_mailbox_empty", "Ihr Postfach ist leer."),
    "mb_new": NC_("mb_new", "Neu"),
    "mb_message_at": NC_("mb_message_at", "Eingegangen am {at}"),
    "mb_open_letter": NC_("mb_open_letter", "Bescheid als PDF öffnen"),
    "mb_answered_title": NC_("mb_answered_title", "Eingereichte Unterlagen"),
    "mb_answered_item": NC_("mb_answered_item", "Am {date} eingereicht: {items}"),
    "mb_history_title": NC_("mb_history_title", "Verlauf"),
    "mb_history_eingegangen": NC_("mb_history_eingegangen", "Ihr Antrag ist beim Jobcenter eingegangen."),
    "mb_history_in_bearbeitung": NC_("mb_history_in_bearbeitung", "Ihr Antrag wird bearbeitet."),
    "mb_history_unterlagen_nachgefordert": NC_("mb_history_unterlagen_nachgefordert", "Das Jobcenter hat Unterlagen bei Ihnen angefordert."),
    "mb_history_entscheidungsreif": NC_("mb_history_entscheidungsreif", "Ihr Antrag ist geprüft; die Entscheidung wird vorbereitet."),
    "mb_history_entschieden": NC_("mb_history_entschieden", "Über Ihren Antrag ist entschieden. Den Bescheid finden Sie in Ihrem Postfach."),
    "mb_history_abgeschlossen": NC_("mb_history_abgeschlossen", "Ihr Vorgang ist abgeschlossen."),
    "mb_history_zurueckgenommen": NC_("mb_history_zurueckgenommen", "Sie haben Ihren Antrag zurückgenommen."),
    "mb_withdraw_title": NC_("mb_withdraw_title", "Antrag zurücknehmen"),
    "mb_withdraw_intro": NC_("mb_withdraw_intro", "Wenn Sie keine Leistungen mehr beantragen möchten, können Sie Ihren Antrag zurücknehmen."),
    "mb_withdraw_link": NC_("mb_withdraw_link", "Antrag zurücknehmen"),
    "mb_withdraw_text": NC_("mb_withdraw_text", "Wenn Sie Ihren Antrag zurücknehmen, entscheidet das Jobcenter nicht mehr darüber. Das können Sie nicht rückgängig machen. Für einen neuen Antrag zählt dann erst das neue Antragsdatum."),
    "mb_withdraw_confirm": NC_("mb_withdraw_confirm", "Ja, ich nehme meinen Antrag zurück."),
    "mb_withdraw_confirm_missing": NC_("mb_withdraw_confirm_missing", "Bestätigen Sie, dass Sie Ihren Antrag zurücknehmen möchten."),
    "mb_withdraw_button": NC_("mb_withdraw_button", "Antrag verbindlich zurücknehmen"),
    "mb_withdraw_cancel": NC_("mb_withdraw_cancel", "Abbrechen"),
    "mb_withdrawn": NC_("mb_withdrawn", "Sie haben Ihren Antrag zurückgenommen."),
    "mb_withdraw_not_possible": NC_("mb_withdraw_not_possible", "Dieser Antrag kann nicht mehr zurückgenommen werden."),
    # the status page (wizard/status.html) shows status_<state> for every state
    "status_in_bearbeitung": NC_("status_in_bearbeitung", "In Bearbeitung"),
    "status_unterlagen_nachgefordert": NC_("status_unterlagen_nachgefordert", "Unterlagen nachgefordert – bitte sehen Sie in Ihr Postfach"),
    "status_entscheidungsreif": NC_("status_entscheidungsreif", "Geprüft – die Entscheidung wird vorbereitet"),
    "status_entschieden": NC_("status_entschieden", "Entschieden – der Bescheid liegt in Ihrem Postfach"),
    "status_abgeschlossen": NC_("status_abgeschlossen", "Abgeschlossen"),
    "status_zurueckgenommen": NC_("status_zurueckgenommen", "Zurückgenommen"),
}


def history(state: str, lang: str) -> str:
    """A status-history entry in plain words (the workflow's label for an unknown state)."""
    key = f"mb_history_{state}"
    return i18n.translate(key, lang) if key in TEXTS else workflow.label(state, lang)


def register() -> None:
    if "mb_case_title" not in i18n.TEXTS:
        i18n.register(TEXTS)
