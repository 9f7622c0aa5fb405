"""The downloadable PDF receipt (Eingangsbestätigung): reference, time, form
version, the answers as submitted, and the SHA-256 of the submitted data.

DejaVu Sans (Debian's fonts-dejavu-core) is used when installed, for every
character; otherwise a PDF core font with the few characters outside Latin-1
replaced, so the receipt never fails for want of a font."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from engine.page import ItemList, Question

from .presentation import format_value

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_LATIN1 = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-",
                         "€": "EUR", "…": "...", "\u00a0": " "})

TEXTS = {
    "de": {"title": "Eingangsbestätigung", "reference": "Aktenzeichen", "received": "Eingegangen am",
           "form": "Formular und Version", "hash": "Prüfsumme der Angaben (SHA-256)", "answers": "Ihre Angaben",
           "note": "Bewahren Sie diese Bestätigung auf. Das Jobcenter meldet sich, wenn etwas fehlt."},
    "en": {"title": "Acknowledgement of receipt", "reference": "Reference number", "received": "Received on",
           "form": "Form and version", "hash": "Checksum of the answers (SHA-256)", "answers": "Your answers",
           "note": "Keep this acknowledgement. The Jobcenter will contact you if anything is missing."},
}


def _rows(node, prefix=""):
    if isinstance(node, Question):
        yield prefix + node.field.label, node
    elif isinstance(node, ItemList):
        for i, item in enumerate(node.items, start=1):
            for row in item.children:
                yield from _rows(row, f"{prefix}{node.field.label} {i}: ")
    else:
        for child in node.children:
            yield from _rows(child, prefix)


def render(application, published, rows, lang: str) -> bytes:
    texts = TEXTS.get(lang, TEXTS["de"])
    pdf = FPDF(format="A4")
    pdf.set_title(f"{texts['title']} {application.reference}")
    pdf.set_author("formwerk")
    unicode_font = DEJAVU.exists() and DEJAVU_BOLD.exists()
    if unicode_font:
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD))
        family = "DejaVu"
    else:
        family = "Helvetica"

    def text(value: str) -> str:
        return value if unicode_font else value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 10, text(texts["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    facts = [
        (texts["reference"], application.reference),
        (texts["received"], application.submitted_at.strftime("%d.%m.%Y, %H:%M UTC")),
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
    pdf.ln(4)
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(0, 8, text(texts["answers"]), new_x="LMARGIN", new_y="NEXT")
    for section, page in rows:
        pdf.ln(2)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 7, text(section.title(lang)), new_x="LMARGIN", new_y="NEXT")
        for label, question in _rows(page.root):
            pdf.set_font(family, "", 10)
            value = format_value(question.field, question.value, lang)
            pdf.multi_cell(0, 5, text(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
