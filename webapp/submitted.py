"""A sent application as its applicant sees it again (receipt page, PDF
and the case page): its answers checked as on the day it was sent, the
estimate, the documents its answers call for with what has been handed in,
and how to reach the office. The documents are the office's own view
(``Document.application_id``), so a file handed in later from the case
page lands where the caseworker looks for it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer

from engine.page import sections_of

from .documents import Requirement
from .presentation import document_title, review_rows
from .storage import Document


@dataclass
class Submitted:
    published: object  # webapp.catalog.PublishedForm
    outcome: object  # engine.outcome.Outcome
    rows: list
    requirements: list[Requirement]

    @property
    def estimate(self):
        return self.outcome.computed.get("/schaetzung") or None

    @property
    def handed_in(self) -> list[Requirement]:
        return [r for r in self.requirements if r.done]

    @property
    def missing(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.done]


def files_of(db, application_id: int) -> list[Document]:
    """The application's files (metadata only, never their bytes)."""
    return db.scalars(select(Document).options(defer(Document.content, raiseload=True))
                      .where(Document.application_id == application_id).order_by(Document.id)).all()


def load(db, application, lang: str) -> Submitted:
    published = current_app.extensions["formwerk.catalog"].version(application.form_version_id)
    as_of = application.submitted_at.date()  # computed values (ages, the estimate) as the applicant saw them
    outcome = published.form.check(json.loads(application.answers), lang=lang, as_of=as_of,
                                   confirmations=json.loads(application.confirmations))
    sections = sections_of(published.form, outcome)
    files = files_of(db, application.id)
    requirements = [Requirement(d, [f for f in files if f.requirement == d.key], document_title(d, outcome.answers, lang))
                    for d in outcome.documents]
    return Submitted(published, outcome, review_rows(published.form, outcome, sections, lang), requirements)


def contact_text(db, application, lang: str) -> str:
    """How to reach the office the application went to (its setting, else the default)."""
    from .legal import office_text

    return office_text(db, application.office_id, "contact", lang)
