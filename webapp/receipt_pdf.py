"""The downloadable PDF receipt (Eingangsbestätigung): reference, local time
(Europe/Berlin), form version, the SHA-256 of the submitted data, the
documents handed in and still missing, the estimate, how to reach the
Jobcenter, and the answers as submitted (people named by their answers).

DejaVu Sans (Debian's fonts-dejavu-core) is used when installed, for every
character; otherwise a PDF core font with the few characters outside Latin-1
replaced, so the receipt never fails for want of a font."""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

from engine.page import ItemList, Question

from . import i18n
from .i18n import translate
from .presentation import format_value, item_title, local_time, money
from webapp.i18n import NC_

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_LATIN1 = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-",
                         "€": "EUR", "…": "...", "\u00a0": " "})
_EURO_FIRST = re.compile(r"€(?=[0-9])")  # English €3,800.00 reads EUR 3,800.00 in a core font

TEXTS = {  # key: pdf_<name>, registered with the other texts (webapp.i18n)
    "pdf_title": NC_("pdf_title", "Eingangsbestätigung"),
    "pdf_reference": NC_("pdf_reference", "Aktenzeichen"),
    "pdf_received": NC_("pdf_received", "Eingegangen am"),
    "pdf_form": NC_("pdf_form", "Formular und Version"),
    "pdf_hash": NC_("pdf_hash", "Prüfsumme der Angaben (SHA-256)"),
    "pdf_answers": NC_("pdf_answers", "Ihre Angaben"),
    "pdf_note": NC_("pdf_note", "Bewahren Sie diese Bestätigung auf. Das Jobcenter meldet sich, wenn etwas fehlt."),
    "pdf_documents_in": NC_("pdf_documents_in", "Eingereichte Nachweise"),
    "pdf_documents_missing": NC_("pdf_documents_missing", "Noch fehlende Nachweise"),
    "pdf_documents_how": NC_("pdf_documents_how", "Fehlende Nachweise können Sie auf Ihrer Vorgangsseite (/vorgang/{reference}) mit Aktenzeichen und Zugangscode hochladen."),
    "pdf_none": NC_("pdf_none", "keine"),
    "pdf_estimate": NC_("pdf_estimate", "Unverbindliche Schätzung"),
    "pdf_total": NC_("pdf_total", "Geschätzter Anspruch im Monat"),
    "pdf_no_estimate": NC_("pdf_no_estimate", "Nach Ihren Angaben gibt es keine Schätzung."),
    "pdf_contact": NC_("pdf_contact", "So erreichen Sie das Jobcenter"),
}
i18n.register(TEXTS)



def fonts(pdf: FPDF):
    """``(font family, text)`` for a PDF: DejaVu Sans when installed (every
    character), else a core font with ``text`` replacing what Latin-1 lacks."""
    if DEJAVU.exists() and DEJAVU_BOLD.exists():
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD))
        return "DejaVu", lambda value: value
    return "Helvetica", lambda value: _EURO_FIRST.sub("EUR ", value).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

def _rows(node, lang: str, prefix="", answers=None):
    if isinstance(node, Question):
        yield prefix + node.field.label, node
    elif isinstance(node, ItemList):
        for i, item in enumerate(node.items, start=1):
            for row in item.children:
                yield from _rows(row, lang, f"{prefix}{item_title(node, item, i, lang, answers)}: ", answers)
    else:
        for child in node.children:
            yield from _rows(child, lang, prefix, answers)


def render(application, published, rows, lang: str, *, sent=None, contact: str = "") -> bytes:
    """The receipt of ``application``. The applicant's copy passes ``sent``
    (:class:`webapp.submitted.Submitted`: documents and estimate) and the
    office's ``contact`` text; the office's export prints the answers only."""
    texts = {key.removeprefix("pdf_"): translate(key, lang) for key in TEXTS}
    pdf = FPDF(format="A4")
    pdf.set_title(f"{texts['title']} {application.reference}")
    pdf.set_author("formwerk")
    family, text = fonts(pdf)

    pdf.add_page()
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 10, text(texts["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    facts = [
        (texts["reference"], application.reference),
        (texts["received"], local_time(application.submitted_at, lang)),
        (texts["form"], f"{published.form.title(lang)}, {published.version}"),
        (texts["hash"], application.data_hash),
    ]
    for label, value in facts:
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(0, 6, text(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 11)
        pdf.multi_cell(0, 6, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(2)
    pdf.multi_cell(0, 6, text(texts["note"]), new_x="LMARGIN", new_y="NEXT")

    def heading(value: str) -> None:
        pdf.ln(3)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 7, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)

    def line(value: str) -> None:
        pdf.multi_cell(0, 5, text(value), new_x="LMARGIN", new_y="NEXT")

    if sent is not None and sent.requirements:
        heading(texts["documents_in"])
        for r in sent.handed_in:
            line(f"{r.title} ({', '.join(f.filename for f in r.files)})")
        if not sent.handed_in:
            line(texts["none"])
        heading(texts["documents_missing"])
        for r in sent.missing:
            line(r.title)
        if sent.missing:
            line(texts["documents_how"].format(reference=application.reference))
        else:
            line(texts["none"])
    estimate = sent.estimate if sent is not None else None
    if estimate:
        heading(texts["estimate"])
        lines = estimate.get("zeilen") or []
        eligible = estimate.get("voraussetzungen_erfuellt") is not False and lines
        if not eligible:
            line(texts["no_estimate"])
        for row in lines:
            label = row.get(f"label_{lang}") or row.get("label_de")
            if row.get("art") in ("hinweis", "voraussetzung"):
                line(label)
            elif eligible:
                line(f"{label}: {money(row['amount'], lang)}")
        if eligible:
            line(f"{texts['total']}: {money(estimate['anspruch'], lang)}")
    if contact:
        heading(texts["contact"])
    for paragraph in contact.splitlines():
        if paragraph.strip():
            line(paragraph.strip())
    pdf.ln(4)
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(0, 8, text(texts["answers"]), new_x="LMARGIN", new_y="NEXT")
    for section, page in rows:
        pdf.ln(2)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 7, text(section.title(lang)), new_x="LMARGIN", new_y="NEXT")
        for label, question in _rows(page.root, lang, answers=page.outcome.answers):
            pdf.set_font(family, "", 10)
            value = format_value(question.field, question.value, lang)
            pdf.multi_cell(0, 5, text(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
