"""The office's system messages in the applicant's mailbox (a decision's
covering note, a document request), kept as a text key with its values so
that each visitor reads them in their own language.

A message stores ``text_key`` and ``text_values`` (JSON) beside ``subject``
and ``body``, which keep the German wording as delivered (the case export,
the audit trail and messages from before keys were stored read those).
What a caseworker typed (a request's note, a document named in free text)
is shown as typed; only the office's own wording is translated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .. import i18n
from ..presentation import local_date
from . import workflow

#: message kinds with their texts (``<key>_subject``, ``<key>_body`` in
#: :mod:`webapp.office.actions_texts`); the keys are stored in the database, so they never change
DECISION = "act_msg_decision"
REQUEST = "act_msg_request"



@dataclass
class Shown:
    subject: str
    body: str


def decision_values(outcome: str) -> dict:
    return {"outcome": outcome}


def request_values(deadline: date, items, note: str) -> dict:
    """``items``: the requested documents (``key``, ``title`` as the caseworker saw it)."""
    return {"deadline": deadline.isoformat(), "items": [[item.key, item.title] for item in items],
            "note": note.strip()}


def _decision(values: dict, lang: str, titles: dict) -> Shown:
    outcome = workflow.OUTCOMES.get(values.get("outcome", ""), {})
    label = outcome.get(lang) or outcome.get("de") or str(values.get("outcome", ""))
    return Shown(i18n.translate(f"{DECISION}_subject", lang, outcome=label),
                 i18n.translate(f"{DECISION}_body", lang))


def _request(values: dict, lang: str, titles: dict) -> Shown:
    deadline = local_date(date.fromisoformat(values["deadline"]), lang)
    lines = [values["note"], ""] if values.get("note") else []
    lines.append(i18n.translate(f"{REQUEST}_body", lang, deadline=deadline))
    lines += [f"– {titles.get(key, title)}" for key, title in values.get("items", [])]
    return Shown(i18n.translate(f"{REQUEST}_subject", lang), "\n".join(lines))


RENDERERS = {DECISION: _decision, REQUEST: _request}


def compose(key: str, values: dict, lang: str = "de", titles: dict | None = None) -> Shown:
    """The message ``key`` with ``values`` in ``lang``; ``titles`` names the
    form's documents in ``lang`` by their key (a document named in free text
    keeps its words)."""
    return RENDERERS[key](values, lang, titles or {})


def shown(message, lang: str, titles: dict | None = None) -> Shown:
    """A stored mailbox message as the visitor reads it: its key's texts in
    ``lang`` when it has one, else the stored wording (older messages)."""
    if message.text_key in RENDERERS and message.text_values:
        try:
            return compose(message.text_key, json.loads(message.text_values), lang, titles)
        except (ValueError, KeyError, TypeError):
            pass  # unreadable values: the stored German wording is still right
    return Shown(message.subject, message.body)
