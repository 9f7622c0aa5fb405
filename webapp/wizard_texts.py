"""Texts of the applicant's journey that depend on what a form is
(application, estimate, request), of the review and receipt, the status
page's documents and the legal pages; German first with English, added to
the shared table in :mod:`webapp.i18n` at import.

A key ``name_<kind>`` overrides ``name`` for forms of that kind
(:func:`kind_text`)."""

from __future__ import annotations

from . import i18n

TEXTS: dict[str, dict[str, str]] = {
    # forms that are not applications
    "to_review_estimate": {"de": "Zum Ergebnis", "en": "To the result"},
    "to_review_request": {"de": "Angaben prüfen und Anfrage senden", "en": "Check your answers and send the request"},
    "review_title_estimate": {"de": "Ihr Ergebnis", "en": "Your result"},
    "result_intro": {"de": "Das ist eine unverbindliche Schätzung. Sie ist kein Antrag: Es wird nichts an das Jobcenter gesendet.",
                     "en": "This is a non-binding estimate. It is not an application: nothing is sent to the Jobcenter."},
    "result_how": {"de": "So kommt die Schätzung zustande", "en": "How the estimate is made up"},
    "result_none": {"de": "Nach Ihren Angaben gibt es keine Schätzung.", "en": "From your answers there is no estimate."},
    "result_errors": {"de": "Für eine Schätzung fehlen noch Angaben oder sind nicht richtig.",
                      "en": "Some answers are still missing or not correct for an estimate."},
    "result_apply_title": {"de": "Bürgergeld beantragen", "en": "Apply for Bürgergeld"},
    "result_apply_text": {"de": "Nur ein Antrag beim Jobcenter führt zu einer Entscheidung. Sie können ihn hier online stellen.",
                          "en": "Only an application to the Jobcenter leads to a decision. You can make it online here."},
    "result_apply_link": {"de": "Jetzt Antrag stellen", "en": "Apply now"},
    "result_change": {"de": "Angaben ändern", "en": "Change your answers"},
    "your_answers_estimate": {"de": "Ihre Angaben für die Schätzung", "en": "Your answers for the estimate"},
    "send_title_request": {"de": "Anfrage senden", "en": "Send the request"},
    "send_text_request": {"de": "Das Jobcenter meldet sich mit einem Terminvorschlag bei Ihnen.",
                          "en": "The Jobcenter will contact you with a proposed appointment."},
    "send_button_request": {"de": "Anfrage senden", "en": "Send the request"},
    "receipt_title_request": {"de": "Ihre Anfrage ist eingegangen", "en": "Your request has been received"},
    "what_next_text_request": {"de": "Das Jobcenter meldet sich mit einem Terminvorschlag bei Ihnen.",
                               "en": "The Jobcenter will contact you with a proposed appointment."},
    "errors_open_request": {"de": "Ihre Anfrage enthält noch Fehler. Bitte korrigieren Sie sie, bevor Sie sie senden.",
                            "en": "Your request still has errors. Please correct them before you send it."},
    "estimate_hints": {"de": "Hinweise zur Schätzung", "en": "Notes on the estimate"},
    "estimate_amount": {"de": "Betrag", "en": "Amount"},
    "estimate_item": {"de": "Posten", "en": "Item"},
    "steps_up_to": {"de": "je nach Ihren Angaben bis zu {n}", "en": "up to {n}, depending on your answers"},
    # sending with the confirmations in one step
    "cannot_submit_errors": {"de": "Der Antrag kann noch nicht abgesendet werden: Bitte korrigieren Sie die oben genannten Fehler.",
                             "en": "The application cannot be sent yet: please correct the errors listed above."},
    "cannot_submit_unconfirmed": {"de": "Der Antrag kann noch nicht abgesendet werden: Bitte bestätigen Sie jeden Hinweis, indem Sie das Kästchen ankreuzen, oder ändern Sie Ihre Angabe.",
                                  "en": "The application cannot be sent yet: please confirm each note by ticking its box, or change your answer."},
    "warnings_send_text": {"de": "Kreuzen Sie bei jedem Hinweis an, dass Ihre Angabe stimmt, und senden Sie dann ab. Oder ändern Sie die Angabe.",
                           "en": "Tick each note to confirm that your answer is correct, then send. Or change the answer."},
    "questions_added_named": {"de": "Nach Ihrer Antwort kommen weitere Fragen hinzu: {names}. Bitte beantworten Sie auch diese.",
                              "en": "Your answer adds further questions: {names}. Please answer these too."},
    # receipt
    "receipt_estimate": {"de": "Unverbindliche Schätzung bei Absenden", "en": "Non-binding estimate when sent"},
    "receipt_documents_in": {"de": "Eingereichte Nachweise", "en": "Documents handed in"},
    "receipt_documents_missing": {"de": "Noch fehlende Nachweise", "en": "Documents still missing"},
    "receipt_documents_how": {"de": "Fehlende Nachweise können Sie auf Ihrer Vorgangsseite hochladen:",
                              "en": "You can upload missing documents on your case page:"},
    "receipt_to_case": {"de": "Zu Ihrem Vorgang", "en": "To your case"},
    "receipt_contact": {"de": "So erreichen Sie das Jobcenter", "en": "How to reach the Jobcenter"},
    "receipt_contact_default": {"de": "Bitte nennen Sie bei jeder Nachfrage Ihr Aktenzeichen. Die Anschrift und die Öffnungszeiten Ihres Jobcenters finden Sie unter Impressum.",
                                "en": "Please give your reference number whenever you contact us. The address and opening hours of your Jobcenter are in the legal notice (Impressum)."},
    "none": {"de": "keine", "en": "none"},
    # the status page's documents
    "mb_documents_title": {"de": "Nachweise zu Ihrem Antrag", "en": "Documents for your application"},
    "mb_documents_intro": {"de": "Nach Ihren Angaben braucht das Jobcenter diese Nachweise. Fehlende können Sie hier nachreichen (PDF, JPEG oder PNG).",
                           "en": "From your answers the Jobcenter needs these documents. You can hand in missing ones here (PDF, JPEG or PNG)."},
    "mb_documents_all_in": {"de": "Alle Nachweise, die Ihre Angaben verlangen, liegen vor.",
                            "en": "Every document your answers call for has been handed in."},
    "mb_choose_document": {"de": "Nachweis wählen", "en": "Choose the document"},
    "mb_hand_in_button": {"de": "Nachweis einreichen", "en": "Hand in the document"},
    "mb_document_uploaded": {"de": "Der Nachweis wurde an das Jobcenter übermittelt.", "en": "The document has been sent to the Jobcenter."},
    "mb_documents_closed": {"de": "Ihr Antrag ist abgeschlossen; Nachweise können Sie hier nicht mehr nachreichen.",
                            "en": "Your application is closed; you can no longer hand in documents here."},
    # legal pages
    "privacy": {"de": "Datenschutz", "en": "Privacy"},
    "privacy_heading": {"de": "Datenschutzhinweise", "en": "Privacy notice"},
    "imprint": {"de": "Impressum", "en": "Legal notice (Impressum)"},
    "imprint_heading": {"de": "Impressum", "en": "Legal notice (Impressum)"},
    "legal_office": {"de": "Verantwortliche Stelle", "en": "Responsible body"},
    "legal_configured_by": {"de": "Angaben von", "en": "Information from"},
    "a11y_status_title": {"de": "Stand der Vereinbarkeit", "en": "Compliance status"},
    "a11y_date_title": {"de": "Erstellung dieser Erklärung", "en": "Preparation of this statement"},
    "a11y_date": {"de": "Diese Erklärung wurde am {date} erstellt und zuletzt überprüft.",
                  "en": "This statement was prepared and last reviewed on {date}."},
    "a11y_contact_title": {"de": "Kontakt und Rückmeldung", "en": "Contact and feedback"},
    "a11y_arbitration_title": {"de": "Schlichtungsverfahren", "en": "Arbitration procedure"},
    "privacy_link_consent": {"de": "Datenschutzhinweisen (öffnet in einem neuen Fenster)", "en": "privacy notice (opens in a new window)"},
    "privacy_consent_hint": {"de": "Wie wir Ihre Daten verarbeiten, lesen Sie in den", "en": "How we process your data is explained in the"},
}

DEFAULTS: dict[str, dict[str, str]] = {
    "privacy": {
        "de": "Verantwortlich für die Verarbeitung Ihrer Daten ist das Jobcenter, an das Ihr Antrag geht. Wir verarbeiten Ihre Angaben und Nachweise, um über Ihren Antrag zu entscheiden (§§ 67a ff. SGB X, § 35 SGB I, Art. 6 Abs. 1 lit. c und e DSGVO). Sie sind Sozialdaten und unterliegen dem Sozialgeheimnis.\n"
              "Angefangene Anträge löschen wir 30 Tage nach dem letzten Speichern. Gesendete Anträge bewahrt das Jobcenter nach den Aufbewahrungsfristen für Sozialleistungsakten auf.\n"
              "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch (Art. 15–21 DSGVO) sowie das Recht, sich bei der oder dem Bundesbeauftragten für den Datenschutz und die Informationsfreiheit zu beschweren.\n"
              "Diese Seite setzt nur ein technisch notwendiges Sitzungs-Cookie und bindet keine Inhalte Dritter ein.",
        "en": "The Jobcenter your application goes to is responsible for processing your data. We process your answers and documents to decide on your application (sections 67a ff. SGB X, section 35 SGB I, Art. 6(1)(c) and (e) GDPR). They are social data and protected by social secrecy.\n"
              "We delete unfinished applications 30 days after they were last saved. The Jobcenter keeps sent applications for the retention periods of benefit files.\n"
              "You have the right of access, rectification, erasure, restriction of processing and objection (Art. 15–21 GDPR) and the right to complain to the Federal Commissioner for Data Protection and Freedom of Information.\n"
              "This site sets only a technically necessary session cookie and embeds no third-party content.",
    },
    "imprint": {
        "de": "Dieses Angebot wird vom Jobcenter betrieben, an das Ihr Antrag geht. Das Jobcenter ist eine gemeinsame Einrichtung der Bundesagentur für Arbeit und des kommunalen Trägers (§ 44b SGB II) und eine Behörde; es wird durch seine Geschäftsführung vertreten.",
        "en": "This service is run by the Jobcenter your application goes to. The Jobcenter is a joint body of the Federal Employment Agency and the municipality (section 44b SGB II) and a public authority; it is represented by its management.",
    },
    "a11y_status": {
        "de": "Dieses Angebot ist mit der Barrierefreien-Informationstechnik-Verordnung (BITV 2.0) vereinbar. Die Seiten werden automatisch mit axe-core und von Hand mit Tastatur und Bildschirmleser geprüft.",
        "en": "This service complies with the Barrier-Free Information Technology Ordinance (BITV 2.0). The pages are tested automatically with axe-core and by hand with the keyboard and a screen reader.",
    },
    "a11y_contact": {
        "de": "Sind Ihnen Barrieren aufgefallen? Schreiben Sie uns an barrierefreiheit@jobcenter.example oder rufen Sie uns an. Wir antworten innerhalb von sechs Wochen.",
        "en": "Have you noticed barriers? Write to barrierefreiheit@jobcenter.example or call us. We answer within six weeks.",
    },
    "a11y_arbitration": {
        "de": "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG) wenden: Schlichtungsstelle BGG bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen, Mauerstraße 53, 10117 Berlin, Telefon 030 18 527-2805, info@schlichtungsstelle-bgg.de, www.schlichtungsstelle-bgg.de. Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.",
        "en": "If you do not receive a satisfactory answer to your feedback, you can turn to the arbitration body under section 16 of the Disability Equality Act (BGG): Schlichtungsstelle BGG at the Federal Government Commissioner for Matters relating to Persons with Disabilities, Mauerstraße 53, 10117 Berlin, telephone +49 30 18 527-2805, info@schlichtungsstelle-bgg.de, www.schlichtungsstelle-bgg.de. The procedure is free of charge; you need no legal counsel.",
    },
    "contact": {
        "de": "Bitte nennen Sie bei jeder Nachfrage Ihr Aktenzeichen. Sie erreichen Ihr Jobcenter über die Servicenummer 0800 4 5555 00 (kostenfrei, Mo–Fr 8–18 Uhr) oder persönlich zu den Öffnungszeiten.",
        "en": "Please give your reference number whenever you contact us. You can reach your Jobcenter on the service number 0800 4 5555 00 (free of charge, Mon–Fri 8 am–6 pm) or in person during opening hours.",
    },
}

#: the date the default accessibility statement was prepared (an office's own statement carries its own)
A11Y_DEFAULT_DATE = "2026-11-25"


def kind_text(key: str, kind: str, **values) -> str:
    """``key`` in the wording of a form of ``kind`` (``key_<kind>`` when defined)."""
    specific = f"{key}_{kind}"
    return i18n.text(specific if specific in i18n.TEXTS else key, **values)


i18n.register(TEXTS)
