"""Texts of the applicant's journey that depend on what a form is
(application, estimate, request), of the review and receipt, the status
page's documents and the legal pages; German first with English, added to
the shared table in :mod:`webapp.i18n` at import.

A key ``name_<kind>`` overrides ``name`` for forms of that kind
(:func:`kind_text`)."""

from __future__ import annotations

from . import i18n
from webapp.i18n import NC_

TEXTS: dict[str, dict[str, str]] = {
    # forms that are not applications
    "to_review_estimate": NC_("to_review_estimate", "Zum Ergebnis"),
    "to_review_request": NC_("to_review_request", "Angaben prüfen und Anfrage senden"),
    "review_title_estimate": NC_("review_title_estimate", "Ihr Ergebnis"),
    "result_intro": NC_("result_intro", "Das ist eine unverbindliche Schätzung. Sie ist kein Antrag: Es wird nichts an das Jobcenter gesendet."),
    "result_how": NC_("result_how", "So kommt die Schätzung zustande"),
    "result_none": NC_("result_none", "Nach Ihren Angaben gibt es keine Schätzung."),
    "result_errors": NC_("result_errors", "Für eine Schätzung fehlen noch Angaben oder sind nicht richtig."),
    "result_apply_title": NC_("result_apply_title", "Bürgergeld beantragen"),
    "result_apply_text": NC_("result_apply_text", "Nur ein Antrag beim Jobcenter führt zu einer Entscheidung. Sie können ihn hier online stellen."),
    "result_apply_link": NC_("result_apply_link", "Jetzt Antrag stellen"),
    "result_change": NC_("result_change", "Angaben ändern"),
    "your_answers_estimate": NC_("your_answers_estimate", "Ihre Angaben für die Schätzung"),
    "send_title_request": NC_("send_title_request", "Anfrage senden"),
    "send_text_request": NC_("send_text_request", "Das Jobcenter meldet sich mit einem Terminvorschlag bei Ihnen."),
    "send_button_request": NC_("send_button_request", "Anfrage senden"),
    "receipt_title_request": NC_("receipt_title_request", "Ihre Anfrage ist eingegangen"),
    "what_next_text_request": NC_("what_next_text_request", "Das Jobcenter meldet sich mit einem Terminvorschlag bei Ihnen."),
    "errors_open_request": NC_("errors_open_request", "Ihre Anfrage enthält noch Fehler. Bitte korrigieren Sie sie, bevor Sie sie senden."),
    "estimate_hints": NC_("estimate_hints", "Hinweise zur Schätzung"),
    "estimate_amount": NC_("estimate_amount", "Betrag"),
    "estimate_item": NC_("estimate_item", "Posten"),
    "steps_up_to": NC_("steps_up_to", "je nach Ihren Angaben bis zu {n}"),
    # sending with the confirmations in one step
    "cannot_submit_errors": NC_("cannot_submit_errors", "Der Antrag kann noch nicht abgesendet werden: Bitte korrigieren Sie die oben genannten Fehler."),
    "cannot_submit_unconfirmed": NC_("cannot_submit_unconfirmed", "Der Antrag kann noch nicht abgesendet werden: Bitte bestätigen Sie jeden Hinweis, indem Sie das Kästchen ankreuzen, oder ändern Sie Ihre Angabe."),
    "warnings_send_text": NC_("warnings_send_text", "Kreuzen Sie bei jedem Hinweis an, dass Ihre Angabe stimmt, und senden Sie dann ab. Oder ändern Sie die Angabe."),
    "check_hints": NC_("check_hints", "Bitte lesen Sie die Hinweise unten, bevor Sie weitergehen. Stimmt Ihre Angabe, kreuzen Sie das Kästchen dazu an; sonst ändern Sie sie. Wählen Sie dann „Weiter“."),
    "questions_added_named": NC_("questions_added_named", "Nach Ihrer Antwort kommen weitere Fragen hinzu: {names}. Bitte beantworten Sie auch diese."),
    # receipt
    "receipt_estimate": NC_("receipt_estimate", "Unverbindliche Schätzung bei Absenden"),
    "receipt_documents_in": NC_("receipt_documents_in", "Eingereichte Nachweise"),
    "receipt_documents_missing": NC_("receipt_documents_missing", "Noch fehlende Nachweise"),
    "receipt_documents_how": NC_("receipt_documents_how", "Fehlende Nachweise können Sie auf Ihrer Vorgangsseite hochladen:"),
    "receipt_to_case": NC_("receipt_to_case", "Zu Ihrem Vorgang"),
    "receipt_contact": NC_("receipt_contact", "So erreichen Sie das Jobcenter"),
    "receipt_contact_default": NC_("receipt_contact_default", "Bitte nennen Sie bei jeder Nachfrage Ihr Aktenzeichen. Die Anschrift und die Öffnungszeiten Ihres Jobcenters finden Sie unter Impressum."),
    "none": NC_("none", "keine"),
    # the status page's documents
    "mb_documents_title": NC_("mb_documents_title", "Nachweise zu Ihrem Antrag"),
    "mb_documents_intro": NC_("mb_documents_intro", "Nach Ihren Angaben braucht das Jobcenter diese Nachweise. Fehlende können Sie hier nachreichen (PDF, JPEG oder PNG)."),
    "mb_documents_all_in": NC_("mb_documents_all_in", "Alle Nachweise, die Ihre Angaben verlangen, liegen vor."),
    "mb_choose_document": NC_("mb_choose_document", "Nachweis wählen"),
    "mb_hand_in_button": NC_("mb_hand_in_button", "Nachweis einreichen"),
    "mb_document_uploaded": NC_("mb_document_uploaded", "Der Nachweis wurde an das Jobcenter übermittelt."),
    "mb_documents_closed": NC_("mb_documents_closed", "Ihr Antrag ist abgeschlossen; Nachweise können Sie hier nicht mehr nachreichen."),
    # legal pages
    "privacy": NC_("privacy", "Datenschutz"),
    "privacy_heading": NC_("privacy_heading", "Datenschutzhinweise"),
    "imprint": NC_("imprint", "Impressum"),
    "imprint_heading": NC_("imprint_heading", "Impressum"),
    "legal_office": NC_("legal_office", "Verantwortliche Stelle"),
    "legal_configured_by": NC_("legal_configured_by", "Angaben von"),
    "a11y_status_title": NC_("a11y_status_title", "Stand der Vereinbarkeit"),
    "a11y_date_title": NC_("a11y_date_title", "Erstellung dieser Erklärung"),
    "a11y_date": NC_("a11y_date", "Diese Erklärung wurde am {date} erstellt und zuletzt überprüft."),
    "a11y_contact_title": NC_("a11y_contact_title", "Kontakt und Rückmeldung"),
    "a11y_arbitration_title": NC_("a11y_arbitration_title", "Schlichtungsverfahren"),
    "privacy_link_consent": NC_("privacy_link_consent", "Datenschutzhinweisen (öffnet in einem neuen Fenster)"),
    "privacy_consent_hint": NC_("privacy_consent_hint", "Wie wir Ihre Daten verarbeiten, lesen Sie in den"),
}

DEFAULTS: dict[str, i18n.ByLanguage] = {
    "privacy": i18n.by_language(NC_("legal_default_privacy", "Verantwortlich für die Verarbeitung Ihrer Daten ist das Jobcenter, an das Ihr Antrag geht. Wir verarbeiten Ihre Angaben und Nachweise, um über Ihren Antrag zu entscheiden (§§ 67a ff. SGB X, § 35 SGB I, Art. 6 Abs. 1 lit. c und e DSGVO). Sie sind Sozialdaten und unterliegen dem Sozialgeheimnis.\n"
              "Angefangene Anträge löschen wir 30 Tage nach dem letzten Speichern. Gesendete Anträge bewahrt das Jobcenter nach den Aufbewahrungsfristen für Sozialleistungsakten auf.\n"
              "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch (Art. 15–21 DSGVO) sowie das Recht, sich bei der oder dem Bundesbeauftragten für den Datenschutz und die Informationsfreiheit zu beschweren.\n"
              "Diese Seite setzt nur ein technisch notwendiges Sitzungs-Cookie und bindet keine Inhalte Dritter ein.")),
    "imprint": i18n.by_language(NC_("legal_default_imprint", "Dieses Angebot wird vom Jobcenter betrieben, an das Ihr Antrag geht. Das Jobcenter ist eine gemeinsame Einrichtung der Bundesagentur für Arbeit und des kommunalen Trägers (§ 44b SGB II) und eine Behörde; es wird durch seine Geschäftsführung vertreten.")),
    "a11y_status": i18n.by_language(NC_("legal_default_a11y_status", "Dieses Angebot ist mit der Barrierefreien-Informationstechnik-Verordnung (BITV 2.0) vereinbar. Die Seiten werden automatisch mit axe-core und von Hand mit Tastatur und Bildschirmleser geprüft.")),
    "a11y_contact": i18n.by_language(NC_("legal_default_a11y_contact", "Sind Ihnen Barrieren aufgefallen? Schreiben Sie uns an barrierefreiheit@jobcenter.example oder rufen Sie uns an. Wir antworten innerhalb von sechs Wochen.")),
    "a11y_arbitration": i18n.by_language(NC_("legal_default_a11y_arbitration", "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG) wenden: Schlichtungsstelle BGG bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen, Mauerstraße 53, 10117 Berlin, Telefon 030 18 527-2805, info@schlichtungsstelle-bgg.de, www.schlichtungsstelle-bgg.de. Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.")),
    "contact": i18n.by_language(NC_("legal_default_contact", "Bitte nennen Sie bei jeder Nachfrage Ihr Aktenzeichen. Sie erreichen Ihr Jobcenter über die Servicenummer 0800 4 5555 00 (kostenfrei, Mo–Fr 8–18 Uhr) oder persönlich zu den Öffnungszeiten.")),
}

#: the date the default accessibility statement was prepared (an office's own statement carries its own)
A11Y_DEFAULT_DATE = "2026-11-25"


def kind_text(key: str, kind: str, **values) -> str:
    """``key`` in the wording of a form of ``kind`` (``key_<kind>`` when defined)."""
    specific = f"{key}_{kind}"
    return i18n.text(specific if specific in i18n.TEXTS else key, **values)


i18n.register(TEXTS)
