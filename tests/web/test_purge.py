"""The purge deletes expired drafts with their documents and the draft copies
of sent applications, and never a document that belongs to an application."""

import json
from datetime import timedelta

from sqlalchemy import select

from tests.security.samples import PDF
from tests.web.test_documents import upload
from tests.web.test_wizard import CSRF, fill_all
from webapp.purge import purge
from webapp.storage import Application, Document, Draft, utcnow


def start(client, slug):
    token = CSRF.search(client.get(f"/formulare/{slug}").get_data(as_text=True)).group(1)
    client.post(f"/antrag/{slug}/neu", data={"csrf_token": token})
    return token


def test_purge_command_deletes_expired_drafts_documents_and_draft_copies(app):
    storage = app.extensions["formwerk.storage"]
    expired, kept, sent = app.test_client(), app.test_client(), app.test_client()
    token = start(expired, "buergergeld")
    assert upload(expired, token, PDF).status_code == 302
    start(kept, "buergergeld")
    upload(kept, CSRF.search(kept.get("/antrag/buergergeld/nachweise").get_data(as_text=True)).group(1), PDF)
    sent_token = start(sent, "terminanfrage")
    fill_all(sent, sent_token)
    assert sent.post("/antrag/terminanfrage/absenden", data={"csrf_token": sent_token}).status_code == 302
    with storage.session() as db:
        drafts = db.scalars(select(Draft).order_by(Draft.id)).all()
        drafts[0].expires_at = utcnow() - timedelta(days=1)
        drafts[2].expires_at = utcnow() - timedelta(days=1)  # sent: its application stays
        application = db.scalars(select(Application)).one()
        db.add(Document(draft_id=drafts[2].id, application_id=application.id, requirement="x@/x", filename="a.pdf",
                        content_type="application/pdf", size=len(PDF), sha256="0" * 64, content=PDF))
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "deleted: 1 expired drafts, 1 of their documents, 1 draft copies of sent applications" in result.output
    with storage.reader() as db:
        remaining = db.scalars(select(Draft).order_by(Draft.id)).all()
        documents = db.scalars(select(Document)).all()
        application = db.scalars(select(Application)).one()
    assert [d.id for d in remaining] == [drafts[1].id, drafts[2].id]
    assert json.loads(remaining[1].answers) == {} and json.loads(application.answers)["kontakt"]["vorname"] == "Ana"
    assert sorted(d.draft_id for d in documents) == [drafts[1].id, drafts[2].id]  # the kept draft's and the application's
    assert expired.get("/antrag/buergergeld").status_code == 302  # the expired draft is gone
    assert purge(storage).drafts == 0  # idempotent
