"""The decision letter (Bescheid) as PDF, with fpdf2: the office's
letterhead, the date, reference and applicant, the decision with amount and
period, the reasons and the office's Rechtsbehelfsbelehrung.

Letters are written in German, the language of the procedure (§ 19 SGB X).
Fonts as in :mod:`webapp.receipt_pdf`: DejaVu Sans when installed, else a
core font with the few characters outside Latin-1 replaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from ..receipt_pdf import fonts

OUTCOME_HEADINGS = {
    "bewilligt": "Bewilligung",
    "teilweise_bewilligt": "Teilweise Bewilligung",
    "abgelehnt": "Ablehnung",
}


@dataclass(frozen=True)
class Letter:
    """What goes into one letter (independent of the database rows)."""

    office_name: str
    letterhead: str
    legal_remedy: str
    reference: str
    applicant: str
    form_title: str
    submitted: date
    issued: date
    outcome: str
    monthly_amount: Decimal | None
    period_from: date | None
    period_to: date | None
    reasons: str
    decided_by: str


def euro(amount: Decimal) -> str:
    """German money (the letter is German): 1.234,56 €, formatted by Babel."""
    from ..presentation import money

    return money(amount, "de")


def decision_sentence(letter: Letter) -> str:
    if letter.outcome == "abgelehnt":
        return f"Ihr Antrag vom {letter.submitted:%d.%m.%Y} wird abgelehnt."
    grant = (f"für die Zeit vom {letter.period_from:%d.%m.%Y} bis {letter.period_to:%d.%m.%Y} Leistungen "
             f"in Höhe von monatlich {euro(letter.monthly_amount)} bewilligt.")
    if letter.outcome == "teilweise_bewilligt":
        return (f"Ihrem Antrag vom {letter.submitted:%d.%m.%Y} wird teilweise entsprochen. Ihnen werden "
                + grant + " Im Übrigen wird der Antrag abgelehnt.")
    return f"Auf Ihren Antrag vom {letter.submitted:%d.%m.%Y} werden Ihnen " + grant


def render(letter: Letter) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Bescheid {letter.reference}")
    pdf.set_author(letter.office_name)
    pdf.set_creator("formwerk")
    family, text = fonts(pdf)

    def paragraph(value: str, size: int = 11, bold: bool = False, height: float = 5.5) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, height, text(value), new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    pdf.set_auto_page_break(True, margin=20)
    paragraph(letter.letterhead.strip() or letter.office_name, size=10, height=5)
    pdf.ln(6)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, text(f"Datum: {letter.issued:%d.%m.%Y}\nAktenzeichen: {letter.reference}"),
                   align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if letter.applicant:
        paragraph(f"An: {letter.applicant}", size=10)
        pdf.ln(4)
    paragraph(f"Bescheid – {OUTCOME_HEADINGS.get(letter.outcome, letter.outcome)}", size=15, bold=True, height=8)
    paragraph(f"zu Ihrem Antrag: {letter.form_title}", size=11)
    pdf.ln(4)
    paragraph("Guten Tag,")
    pdf.ln(2)
    paragraph(decision_sentence(letter))
    if letter.outcome != "abgelehnt":
        pdf.ln(2)
        paragraph("Die Leistungen werden monatlich im Voraus auf das von Ihnen angegebene Konto überwiesen.")
    if letter.reasons.strip():
        pdf.ln(4)
        paragraph("Begründung", size=12, bold=True, height=7)
        paragraph(letter.reasons.strip())
    pdf.ln(4)
    paragraph("Rechtsbehelfsbelehrung", size=12, bold=True, height=7)
    paragraph(letter.legal_remedy.strip() or "Gegen diesen Bescheid kann innerhalb eines Monats nach "
              "Bekanntgabe Widerspruch erhoben werden.")
    pdf.ln(6)
    paragraph("Mit freundlichen Grüßen")
    paragraph(f"Im Auftrag\n{letter.decided_by}\n{letter.office_name}")
    pdf.ln(4)
    paragraph("Dieses Schreiben wurde elektronisch erstellt und in Ihr Online-Postfach zugestellt.", size=9, height=4.5)
    return bytes(pdf.output())
