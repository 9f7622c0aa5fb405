"""Texts of the applicant part's safeguards (limits, resume confirmation,
conflicts, upload checks), German first with English; added to the shared
table in :mod:`webapp.i18n` at import."""

from . import i18n

TEXTS: dict[str, dict[str, str]] = {
    "too_many_title": {"de": "Zu viele Anfragen", "en": "Too many requests"},
    "too_many_text": {"de": "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Anfragen. Warten Sie bitte einige Minuten und versuchen Sie es dann noch einmal. Ihre gespeicherten Angaben bleiben erhalten.",
                      "en": "Very many requests came from your connection in a short time. Please wait a few minutes and try again. Your saved answers are kept."},
    "resume_title": {"de": "Gespeicherten Antrag fortsetzen?", "en": "Continue a saved application?"},
    "resume_text": {"de": "Mit diesem Link wurde ein Antrag gespeichert. Setzen Sie ihn nur fort, wenn es Ihr eigener Antrag ist.",
                    "en": "An application was saved with this link. Only continue it if it is your own application."},
    "resume_form": {"de": "Formular", "en": "Form"},
    "resume_started": {"de": "Begonnen am", "en": "Started on"},
    "resume_saved": {"de": "Zuletzt gespeichert am", "en": "Last saved on"},
    "resume_sections": {"de": "Bearbeitete Abschnitte", "en": "Sections worked on"},
    "resume_replaces": {"de": "Auf diesem Gerät ist bereits ein anderer Antrag für dieses Formular geöffnet (zuletzt gespeichert am {date}). Wenn Sie fortsetzen, wird er hier geschlossen. Er bleibt mit seinem eigenen Link erreichbar.",
                        "en": "Another application for this form is already open on this device (last saved on {date}). If you continue, it is closed here. It stays reachable with its own link."},
    "resume_rotates": {"de": "Wenn Sie fortsetzen, erhalten Sie einen neuen Link. Der alte Link gilt dann nicht mehr.",
                       "en": "If you continue, you get a new link. The old link then stops working."},
    "resume_button": {"de": "Diesen Antrag fortsetzen", "en": "Continue this application"},
    "resume_cancel": {"de": "Nicht fortsetzen", "en": "Do not continue"},
    "saved_rotates": {"de": "Jedes Mal, wenn Sie mit dem Link fortsetzen, erhalten Sie einen neuen Link; frühere Links gelten dann nicht mehr.",
                      "en": "Each time you continue with the link you get a new one; earlier links then stop working."},
    "conflict": {"de": "Ihr Antrag wurde inzwischen in einem anderen Fenster oder auf einem anderen Gerät geändert. Ihre letzten Eingaben auf dieser Seite wurden deshalb nicht gespeichert. Die Seite zeigt jetzt den gespeicherten Stand – bitte prüfen Sie ihn und geben Sie Ihre Änderungen erneut ein.",
                 "en": "Your application has been changed in another window or on another device in the meantime, so your last entries on this page were not saved. The page now shows the saved state – please check it and enter your changes again."},
    "draft_too_large": {"de": "Ihr Antrag ist zu umfangreich geworden. Ihre letzten Eingaben wurden nicht gespeichert. Kürzen Sie bitte lange Texte oder entfernen Sie Einträge.",
                        "en": "Your application has become too large. Your last entries were not saved. Please shorten long texts or remove entries."},
    "upload_quota_requirement": {"de": "Für diesen Nachweis haben Sie schon die höchste Zahl von Dateien hochgeladen. Löschen Sie eine Datei, bevor Sie eine neue hochladen.",
                                 "en": "You have already uploaded the largest number of files for this document. Delete a file before you upload another."},
    "upload_quota_draft": {"de": "Ihre Nachweise sind zusammen zu groß geworden. Löschen Sie Dateien, die nicht gebraucht werden, oder laden Sie kleinere Dateien hoch.",
                           "en": "Your documents have become too large together. Delete files that are not needed or upload smaller files."},
    "upload_damaged": {"de": "Die Datei ist beschädigt oder kann nicht gelesen werden. Speichern oder scannen Sie sie bitte neu.",
                       "en": "The file is damaged or cannot be read. Please save or scan it again."},
    "upload_active_content": {"de": "Die PDF-Datei enthält aktive Inhalte (zum Beispiel JavaScript oder eingebettete Dateien), die wir aus Sicherheitsgründen nicht annehmen. Drucken Sie sie bitte neu als PDF oder laden Sie einen Scan hoch.",
                              "en": "The PDF contains active content (for example JavaScript or embedded files), which we do not accept for security reasons. Please print it to PDF again or upload a scan."},
    "upload_image_too_large": {"de": "Das Bild hat zu viele Bildpunkte. Laden Sie bitte ein Bild mit geringerer Auflösung hoch.",
                               "en": "The image has too many pixels. Please upload an image at a lower resolution."},
    "new_status_code": {"de": "Für dieses Gerät wurde ein neuer Zugangscode erstellt, weil die erste Bestätigung nicht ankam. Ein früherer Zugangscode gilt nicht mehr.",
                        "en": "A new access code has been created for this device because the first acknowledgement did not arrive. An earlier access code no longer works."},
    "too_long": {"de": "Ihre Eingabe ist zu lang. Kürzen Sie sie bitte.", "en": "Your entry is too long. Please shorten it."},
}

i18n.register(TEXTS)
