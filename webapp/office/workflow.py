"""The case workflow, defined in one place: the states, who may move a case
from which state to which, and the transition itself (one event with actor
and time, optimistic locking against concurrent changes).

    eingegangen → in_bearbeitung → unterlagen_nachgefordert (⇄ in_bearbeitung
    when the applicant answers) → entscheidungsreif → entschieden →
    abgeschlossen; zurueckgenommen by the applicant from any open state.

"entschieden" is reached only by recording a decision (which sets
``Decision.outcome``: bewilligt, teilweise_bewilligt, abgelehnt), never by a
bare status change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from .. import i18n
from ..accounts import audit
from ..i18n import NC_
from ..storage import Application, utcnow
from .models import CaseEvent

STATES: dict[str, i18n.ByLanguage] = {
    "eingegangen": i18n.by_language(NC_("state_eingegangen", "Eingegangen")),
    "in_bearbeitung": i18n.by_language(NC_("state_in_bearbeitung", "In Bearbeitung")),
    "unterlagen_nachgefordert": i18n.by_language(NC_("state_unterlagen_nachgefordert", "Unterlagen nachgefordert")),
    "entscheidungsreif": i18n.by_language(NC_("state_entscheidungsreif", "Entscheidungsreif")),
    "entschieden": i18n.by_language(NC_("state_entschieden", "Entschieden")),
    "abgeschlossen": i18n.by_language(NC_("state_abgeschlossen", "Abgeschlossen")),
    "zurueckgenommen": i18n.by_language(NC_("state_zurueckgenommen", "Zurückgenommen")),
}

OUTCOMES: dict[str, i18n.ByLanguage] = {
    "bewilligt": i18n.by_language(NC_("outcome_bewilligt", "Bewilligt")),
    "teilweise_bewilligt": i18n.by_language(NC_("outcome_teilweise_bewilligt", "Teilweise bewilligt")),
    "abgelehnt": i18n.by_language(NC_("outcome_abgelehnt", "Abgelehnt")),
}

#: (from, to) -> who may make the move: "staff" (caseworker, team lead, API
#: with write scope), "request" (opening a document request), "applicant"
#: (answering a request, withdrawing), "decision" (recording a decision).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("eingegangen", "in_bearbeitung"): frozenset({"staff"}),
    ("eingegangen", "unterlagen_nachgefordert"): frozenset({"request"}),
    ("in_bearbeitung", "unterlagen_nachgefordert"): frozenset({"request"}),
    ("entscheidungsreif", "unterlagen_nachgefordert"): frozenset({"request"}),
    ("unterlagen_nachgefordert", "in_bearbeitung"): frozenset({"staff", "applicant"}),
    ("in_bearbeitung", "entscheidungsreif"): frozenset({"staff"}),
    ("entscheidungsreif", "in_bearbeitung"): frozenset({"staff"}),
    ("in_bearbeitung", "entschieden"): frozenset({"decision"}),
    ("entscheidungsreif", "entschieden"): frozenset({"decision"}),
    ("entschieden", "abgeschlossen"): frozenset({"staff"}),
    ("zurueckgenommen", "abgeschlossen"): frozenset({"staff"}),
    **{(state, "zurueckgenommen"): frozenset({"applicant"})
       for state in ("eingegangen", "in_bearbeitung", "unterlagen_nachgefordert", "entscheidungsreif")},
}

#: states in which a case is still open (counts against the target time)
OPEN_STATES = frozenset({"eingegangen", "in_bearbeitung", "unterlagen_nachgefordert", "entscheidungsreif"})


class WorkflowError(Exception):
    """A move the workflow does not allow (``code`` names the text key)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Conflict(WorkflowError):
    """Someone else changed the case since the page was loaded."""

    def __init__(self):
        super().__init__("case_conflict")


def allowed(current: str, by: str) -> list[str]:
    """The states ``by`` ("staff", "applicant", ...) may move a case to from ``current``."""
    return [to for (frm, to), who in TRANSITIONS.items() if frm == current and by in who]


def label(state: str, lang: str) -> str:
    return STATES.get(state, {}).get(lang) or STATES.get(state, {}).get("de") or state


@dataclass
class Moved:
    event: CaseEvent
    lock_version: int


def bump(db, application: Application, expected_version: int | None) -> int:
    """Claim the case for a change: raise its ``lock_version`` if it is still
    ``expected_version`` (None: whatever it is now). Raises :class:`Conflict`
    when another change came first. Every change of a case calls this."""
    expected = application.lock_version if expected_version is None else expected_version
    result = db.execute(update(Application)
                        .where(Application.id == application.id, Application.lock_version == expected)
                        .values(lock_version=expected + 1, updated_at=utcnow())
                        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict()
    application.lock_version = expected + 1
    return expected + 1


def transition(db, application: Application, to: str, *, by: str, actor: str,
               expected_version: int | None, comment: str = "") -> Moved:
    """Move a case to ``to`` inside the open transaction ``db``.

    ``by`` is the kind of actor (see :data:`TRANSITIONS`), ``actor`` the
    text recorded (e.g. "staff:3 anna@…"). Raises :class:`WorkflowError`
    for a move the workflow does not allow and :class:`Conflict` when the
    case changed since ``expected_version``."""
    if to not in STATES:
        raise WorkflowError("case_state_unknown")
    current = application.status
    if by not in TRANSITIONS.get((current, to), frozenset()):
        raise WorkflowError("case_transition_not_allowed")
    version = bump(db, application, expected_version)
    db.execute(update(Application).where(Application.id == application.id).values(status=to)
               .execution_options(synchronize_session=False))
    application.status = to
    event = CaseEvent(application_id=application.id, actor=actor[:300], from_status=current, to_status=to,
                      comment=comment[:4000], at=utcnow())
    db.add(event)
    audit.record(db, "status.change", reference=application.reference, office_id=application.office_id,
                 detail={"from": current, "to": to, "by": by})
    return Moved(event, version)
