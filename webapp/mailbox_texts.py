"""Texts of the applicant's case page and mailbox (webapp/mailbox.py),
German first with English. Also the status texts of the status page for
every state of the office's workflow (the page shows ``status_<state>``)."""

from __future__ import annotations

from . import i18n
from .office import workflow

TEXTS: dict[str, dict[str, str]] = {
    "mb_lookup_title": {"de": "Ihr Vorgang und Ihr Postfach", "en": "Your case and your mailbox"},
    "mb_lookup_intro": {"de": "Geben Sie Ihr Aktenzeichen und Ihren Zugangscode ein. Sie finden beide in Ihrer Eingangsbestätigung.",
                        "en": "Enter your reference number and your access code. You find both in your acknowledgement of receipt."},
    "mb_lookup_button": {"de": "Vorgang öffnen", "en": "Open your case"},
    "mb_to_case": {"de": "Zu Ihrem Vorgang und Postfach", "en": "Go to your case and mailbox"},
    "mb_case_title": {"de": "Ihr Vorgang", "en": "Your case"},
    "mb_back_to_case": {"de": "Zurück zu Ihrem Vorgang", "en": "Back to your case"},
    "mb_deadline": {"de": "Unterlagen einreichen bis", "en": "Send documents by"},
    "mb_requests_title": {"de": "Das Jobcenter braucht noch Unterlagen", "en": "The Jobcenter needs more documents"},
    "mb_request_of": {"de": "Anforderung vom {date} – bitte bis {deadline} einreichen",
                      "en": "Request of {date} – please send by {deadline}"},
    "mb_request_ready": {"de": "Zu jedem Punkt liegt eine Datei vor. Senden Sie die Unterlagen jetzt an das Jobcenter.",
                         "en": "There is a file for every item. Send the documents to the Jobcenter now."},
    "mb_request_send": {"de": "Unterlagen absenden", "en": "Send the documents"},
    "mb_request_not_ready": {"de": "Laden Sie zu jedem Punkt mindestens eine Datei hoch. Danach können Sie die Unterlagen absenden.",
                             "en": "Upload at least one file for every item. Then you can send the documents."},
    "mb_request_incomplete": {"de": "Es fehlt noch mindestens eine Datei. Laden Sie zu jedem Punkt eine Datei hoch.",
                              "en": "At least one file is still missing. Upload a file for every item."},
    "mb_request_answered": {"de": "Ihre Unterlagen sind beim Jobcenter eingegangen. Vielen Dank.",
                            "en": "Your documents have reached the Jobcenter. Thank you."},
    "mb_request_closed": {"de": "Diese Anforderung ist bereits erledigt.", "en": "This request has already been dealt with."},
    "mb_quota_item": {"de": "Zu diesem Punkt haben Sie schon die höchste Zahl von Dateien hochgeladen. Löschen Sie eine Datei, bevor Sie eine neue hochladen.",
                      "en": "You have already uploaded the largest number of files for this item. Delete a file before you upload another."},
    "mb_quota_total": {"de": "Ihre Unterlagen sind zusammen zu groß geworden. Laden Sie kleinere Dateien hoch, zum Beispiel Scans mit geringerer Auflösung.",
                       "en": "Your documents have become too large together. Upload smaller files, for example scans at a lower resolution."},
    "mb_changed_meanwhile": {"de": "Ihr Vorgang wurde gerade geändert. Bitte prüfen Sie den aktuellen Stand und versuchen Sie es noch einmal.",
                             "en": "Your case has just been changed. Please check the current state and try again."},
    "mb_mailbox_title": {"de": "Ihr Postfach", "en": "Your mailbox"},
    "mb_mailbox_empty": {"de": "Ihr Postfach ist leer.", "en": "Your mailbox is empty."},
    "mb_new": {"de": "Neu", "en": "New"},
    "mb_message_at": {"de": "Eingegangen am {at}", "en": "Received on {at}"},
    "mb_open_letter": {"de": "Bescheid als PDF öffnen", "en": "Open the decision as PDF"},
    "mb_answered_title": {"de": "Eingereichte Unterlagen", "en": "Documents you have sent"},
    "mb_answered_item": {"de": "Am {date} eingereicht: {items}", "en": "Sent on {date}: {items}"},
    "mb_history_title": {"de": "Verlauf", "en": "History"},
    "mb_history_eingegangen": {"de": "Ihr Antrag ist beim Jobcenter eingegangen.", "en": "Your application has reached the Jobcenter."},
    "mb_history_in_bearbeitung": {"de": "Ihr Antrag wird bearbeitet.", "en": "Your application is being processed."},
    "mb_history_unterlagen_nachgefordert": {"de": "Das Jobcenter hat Unterlagen bei Ihnen angefordert.",
                                            "en": "The Jobcenter has asked you for documents."},
    "mb_history_entscheidungsreif": {"de": "Ihr Antrag ist geprüft; die Entscheidung wird vorbereitet.",
                                     "en": "Your application has been checked; the decision is being prepared."},
    "mb_history_entschieden": {"de": "Über Ihren Antrag ist entschieden. Den Bescheid finden Sie in Ihrem Postfach.",
                               "en": "Your application has been decided. You find the decision in your mailbox."},
    "mb_history_abgeschlossen": {"de": "Ihr Vorgang ist abgeschlossen.", "en": "Your case is closed."},
    "mb_history_zurueckgenommen": {"de": "Sie haben Ihren Antrag zurückgenommen.", "en": "You have withdrawn your application."},
    "mb_withdraw_title": {"de": "Antrag zurücknehmen", "en": "Withdraw your application"},
    "mb_withdraw_intro": {"de": "Wenn Sie keine Leistungen mehr beantragen möchten, können Sie Ihren Antrag zurücknehmen.",
                          "en": "If you no longer want to apply for benefits, you can withdraw your application."},
    "mb_withdraw_link": {"de": "Antrag zurücknehmen", "en": "Withdraw your application"},
    "mb_withdraw_text": {"de": "Wenn Sie Ihren Antrag zurücknehmen, entscheidet das Jobcenter nicht mehr darüber. Das können Sie nicht rückgängig machen. Für einen neuen Antrag zählt dann erst das neue Antragsdatum.",
                         "en": "If you withdraw your application, the Jobcenter no longer decides on it. You cannot undo this. A new application only counts from its new date."},
    "mb_withdraw_confirm": {"de": "Ja, ich nehme meinen Antrag zurück.", "en": "Yes, I withdraw my application."},
    "mb_withdraw_confirm_missing": {"de": "Bestätigen Sie, dass Sie Ihren Antrag zurücknehmen möchten.",
                                    "en": "Confirm that you want to withdraw your application."},
    "mb_withdraw_button": {"de": "Antrag verbindlich zurücknehmen", "en": "Withdraw the application (binding)"},
    "mb_withdraw_cancel": {"de": "Abbrechen", "en": "Cancel"},
    "mb_withdrawn": {"de": "Sie haben Ihren Antrag zurückgenommen.", "en": "You have withdrawn your application."},
    "mb_withdraw_not_possible": {"de": "Dieser Antrag kann nicht mehr zurückgenommen werden.",
                                 "en": "This application can no longer be withdrawn."},
    # the status page (wizard/status.html) shows status_<state> for every state
    "status_in_bearbeitung": {"de": "In Bearbeitung", "en": "In progress"},
    "status_unterlagen_nachgefordert": {"de": "Unterlagen nachgefordert – bitte sehen Sie in Ihr Postfach",
                                        "en": "Documents requested – please look in your mailbox"},
    "status_entscheidungsreif": {"de": "Geprüft – die Entscheidung wird vorbereitet", "en": "Checked – the decision is being prepared"},
    "status_entschieden": {"de": "Entschieden – der Bescheid liegt in Ihrem Postfach", "en": "Decided – the decision is in your mailbox"},
    "status_abgeschlossen": {"de": "Abgeschlossen", "en": "Closed"},
    "status_zurueckgenommen": {"de": "Zurückgenommen", "en": "Withdrawn"},
}


def history(state: str, lang: str) -> str:
    """A status-history entry in plain words (the workflow's label for an unknown state)."""
    key = f"mb_history_{state}"
    return i18n.translate(key, lang) if key in TEXTS else workflow.label(state, lang)


def register() -> None:
    if "mb_case_title" not in i18n.TEXTS:
        i18n.register(TEXTS)
