"""The case workflow: states and transitions in one place, who may make
which move, every move an event with actor and time, and optimistic
locking (a change based on an old version is refused, nothing overwritten)."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from webapp.accounts.models import AuditEvent
from webapp.office import workflow
from webapp.office.models import CaseEvent
from webapp.storage import Application, Draft, FormVersion


@pytest.fixture
def application(app):
    storage = app.extensions["formwerk.storage"]
    with storage.session() as db:
        version = db.scalar(select(FormVersion.id).limit(1))
        draft = Draft(form_version_id=version, token_hash="1" * 64, expires_at=datetime.now(timezone.utc))
        db.add(draft)
        db.flush()
        row = Application(reference="FW-UNIT-1", draft_id=draft.id, form_version_id=version, answers="{}",
                          findings="[]", confirmations="[]", data_hash="0" * 64, status_token_hash="2" * 64,
                          status="eingegangen", lock_version=0)
        db.add(row)
    return row


def stored(app, ident) -> Application:
    with app.extensions["formwerk.storage"].reader() as db:
        return db.get(Application, ident)


def test_every_transition_names_known_states_and_actors():
    for (frm, to), who in workflow.TRANSITIONS.items():
        assert frm in workflow.STATES and to in workflow.STATES and frm != to
        assert who and who <= {"staff", "request", "applicant", "decision"}
    assert workflow.OPEN_STATES < set(workflow.STATES)
    for state in workflow.STATES:
        assert workflow.label(state, "de") and workflow.label(state, "en")
    assert workflow.label("unbekannt", "de") == "unbekannt"


def test_the_main_path_of_a_case():
    assert workflow.allowed("eingegangen", "staff") == ["in_bearbeitung"]
    assert set(workflow.allowed("in_bearbeitung", "staff")) == {"entscheidungsreif"}
    assert workflow.allowed("in_bearbeitung", "request") == ["unterlagen_nachgefordert"]
    assert workflow.allowed("unterlagen_nachgefordert", "applicant") == ["in_bearbeitung", "zurueckgenommen"]
    assert set(workflow.allowed("entscheidungsreif", "decision")) == {"entschieden"}
    assert workflow.allowed("entschieden", "staff") == ["abgeschlossen"]
    assert workflow.allowed("abgeschlossen", "staff") == []
    # a decision is never a bare status change, and only the applicant withdraws
    assert all("entschieden" not in workflow.allowed(s, "staff") for s in workflow.STATES)
    assert all("zurueckgenommen" not in workflow.allowed(s, "staff") for s in workflow.STATES)
    for state in workflow.OPEN_STATES:
        assert "zurueckgenommen" in workflow.allowed(state, "applicant")


def test_a_transition_is_an_event_with_actor_and_raises_the_version(app, application):
    storage = app.extensions["formwerk.storage"]
    with app.test_request_context():
        with storage.session() as db:
            row = db.get(Application, application.id)
            moved = workflow.transition(db, row, "in_bearbeitung", by="staff", actor="staff:1 a@b.example",
                                        expected_version=0, comment="los")
    assert moved.lock_version == 1
    row = stored(app, application.id)
    assert row.status == "in_bearbeitung" and row.lock_version == 1
    with storage.reader() as db:
        event = db.scalar(select(CaseEvent).where(CaseEvent.application_id == application.id))
        audit = db.scalar(select(AuditEvent).where(AuditEvent.action == "status.change"))
    assert (event.from_status, event.to_status, event.actor, event.comment) == ("eingegangen", "in_bearbeitung",
                                                                               "staff:1 a@b.example", "los")
    assert event.at is not None and audit.reference == "FW-UNIT-1"


@pytest.mark.parametrize("to, by, code", [
    ("entschieden", "staff", "case_transition_not_allowed"),
    ("abgeschlossen", "staff", "case_transition_not_allowed"),
    ("unterlagen_nachgefordert", "staff", "case_transition_not_allowed"),
    ("zurueckgenommen", "staff", "case_transition_not_allowed"),
    ("in_bearbeitung", "decision", "case_transition_not_allowed"),
    ("erledigt", "staff", "case_state_unknown"),
])
def test_moves_the_workflow_does_not_allow_change_nothing(app, application, to, by, code):
    storage = app.extensions["formwerk.storage"]
    with app.test_request_context():
        with pytest.raises(workflow.WorkflowError) as refused:
            with storage.session() as db:
                workflow.transition(db, db.get(Application, application.id), to, by=by, actor="x",
                                    expected_version=0)
    assert refused.value.code == code
    row = stored(app, application.id)
    assert row.status == "eingegangen" and row.lock_version == 0


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(app, application):
    storage = app.extensions["formwerk.storage"]
    with app.test_request_context():
        # two caseworkers loaded the case at version 0; the first one's change lands
        with storage.session() as db:
            workflow.transition(db, db.get(Application, application.id), "in_bearbeitung", by="staff",
                                actor="first", expected_version=0)
        with pytest.raises(workflow.Conflict) as conflict:
            with storage.session() as db:
                workflow.transition(db, db.get(Application, application.id), "entscheidungsreif", by="staff",
                                    actor="second", expected_version=0)
    assert conflict.value.code == "case_conflict"
    row = stored(app, application.id)
    assert row.status == "in_bearbeitung" and row.lock_version == 1
    with storage.reader() as db:
        actors = db.scalars(select(CaseEvent.actor).where(CaseEvent.application_id == application.id)).all()
    assert actors == ["first"]


def test_bump_claims_the_case_once_per_version(app, application):
    storage = app.extensions["formwerk.storage"]
    with app.test_request_context():
        with storage.session() as db:
            row = db.get(Application, application.id)
            assert workflow.bump(db, row, 0) == 1
            assert row.lock_version == 1
            with pytest.raises(workflow.Conflict):
                workflow.bump(db, row, 0)
            assert workflow.bump(db, row, None) == 2  # None: whatever it is now
    assert stored(app, application.id).lock_version == 2


def test_concurrent_sessions_both_reading_the_same_version(app, application):
    """Both transactions read version 0 before either writes: the database
    decides, the second UPDATE matches no row and raises Conflict."""
    storage = app.extensions["formwerk.storage"]
    with app.test_request_context():
        reader = storage.reader()
        seen = reader.get(Application, application.id)  # a page rendered from this row
        reader.close()
        with storage.session() as db:
            workflow.bump(db, db.get(Application, application.id), seen.lock_version)
        with pytest.raises(workflow.Conflict):
            with storage.session() as db:
                workflow.bump(db, db.get(Application, application.id), seen.lock_version)
