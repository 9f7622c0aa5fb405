"""Texts of the applicant part's safeguards (limits, resume confirmation,
conflicts, upload checks), German first with English; added to the shared
table in :mod:`webapp.i18n` at import."""

from . import i18n
from webapp.i18n import NC_

TEXTS: dict[str, dict[str, str]] = {
    "too_many_title": NC_("too_many_title", "Zu viele Anfragen"),
    "too_many_text": NC_("too_many_text", "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Anfragen. Warten Sie bitte einige Minuten und versuchen Sie es dann noch einmal. Ihre gespeicherten Angaben bleiben erhalten."),
    "resume_title": NC_("resume_title", "Gespeicherten Antrag fortsetzen?"),
    "resume_text": NC_("resume_text", "Mit diesem Link wurde ein Antrag gespeichert. Setzen Sie ihn nur fort, wenn es Ihr eigener Antrag ist."),
    "resume_form": NC_("resume_form", "Formular"),
    "resume_started": NC_("resume_started", "Begonnen am"),
    "resume_saved": NC_("resume_saved", "Zuletzt gespeichert am"),
    "resume_sections": NC_("resume_sections", "Bearbeitete Abschnitte"),
    "resume_replaces": NC_("resume_replaces", "Auf diesem Gerät ist bereits ein anderer Antrag für dieses Formular geöffnet (zuletzt gespeichert am {date}). Wenn Sie fortsetzen, wird er hier geschlossen. Er bleibt mit seinem eigenen Link erreichbar."),
    "resume_rotates": NC_("resume_rotates", "Wenn Sie fortsetzen, erhalten Sie einen neuen Link. Der alte Link gilt dann nicht mehr."),
    "resume_button": NC_("resume_button", "Diesen Antrag fortsetzen"),
    "resume_cancel": NC_("resume_cancel", "Nicht fortsetzen"),
    "saved_rotates": NC_("saved_rotates", "Jedes Mal, wenn Sie mit dem Link fortsetzen, erhalten Sie einen neuen Link; frühere Links gelten dann nicht mehr."),
    "conflict": NC_("conflict", "Ihr Antrag wurde inzwischen in einem anderen Fenster oder auf einem anderen Gerät geändert. Ihre letzten Eingaben auf dieser Seite wurden deshalb nicht gespeichert. Die Seite zeigt jetzt den gespeicherten Stand – bitte prüfen Sie ihn und geben Sie Ihre Änderungen erneut ein."),
    "draft_too_large": NC_("draft_too_large", "Ihr Antrag ist zu umfangreich geworden. Ihre letzten Eingaben wurden nicht gespeichert. Kürzen Sie bitte lange Texte oder entfernen Sie Einträge."),
    "upload_quota_requirement": NC_("upload_quota_requirement", "Für diesen Nachweis haben Sie schon die höchste Zahl von Dateien hochgeladen. Löschen Sie eine Datei, bevor Sie eine neue hochladen."),
    "upload_quota_draft": NC_("upload_quota_draft", "Ihre Nachweise sind zusammen zu groß geworden. Löschen Sie Dateien, die nicht gebraucht werden, oder laden Sie kleinere Dateien hoch."),
    "upload_damaged": NC_("upload_damaged", "Die Datei ist beschädigt oder kann nicht gelesen werden. Speichern oder scannen Sie sie bitte neu."),
    "upload_active_content": NC_("upload_active_content", "Die PDF-Datei enthält aktive Inhalte (zum Beispiel JavaScript oder eingebettete Dateien), die wir aus Sicherheitsgründen nicht annehmen. Drucken Sie sie bitte neu als PDF oder laden Sie einen Scan hoch."),
    "upload_image_too_large": NC_("upload_image_too_large", "Das Bild hat zu viele Bildpunkte. Laden Sie bitte ein Bild mit geringerer Auflösung hoch."),
    "new_status_code": NC_("new_status_code", "Für dieses Gerät wurde ein neuer Zugangscode erstellt, weil die erste Bestätigung nicht ankam. Ein früherer Zugangscode gilt nicht mehr."),
    "too_long": NC_("too_long", "Ihre Eingabe ist zu lang. Kürzen Sie sie bitte."),
    "conflict_fields": NC_("conflict_fields", "Im anderen Fenster oder auf dem anderen Gerät wurden dieselben Angaben geändert:"),
}

i18n.register(TEXTS)
