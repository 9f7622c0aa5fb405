"""The case as a ZIP (Fachverfahren / records system): contents, manifest
checksums, the audit log inside, scoping."""

import hashlib
import io
import json
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from tests.casework import (PDF, applicant_token, move, post_decision, post_request, staff_client, submitted_case,
                            upload)
from webapp.accounts.models import AuditEvent
from webapp.office.models import Decision, DocumentRequest


def _full_case(app, client, offices):
    """A case with a request answered by an upload (hostile file name), a decision and its letter opened."""
    application = submitted_case(app, client)
    reference = application.reference
    staff = staff_client(app, offices)
    assert post_request(app, staff, reference, custom="Lohnabrechnung").status_code == 302
    with app.extensions["formwerk.storage"].reader() as db:
        request = db.scalar(select(DocumentRequest).where(DocumentRequest.application_id == application.id))
    assert upload(client, reference, request.id, "frei-1", PDF, "../../etc/passwd .pdf").status_code == 302
    client.post(f"/vorgang/{reference}/unterlagen/{request.id}/senden",
                data={"csrf_token": applicant_token(client, reference)})
    assert post_decision(app, staff, reference, outcome="bewilligt", amount="563,00", period_from="2026-12-01",
                         period_to="2027-11-30").status_code == 302
    return application, staff


def test_the_export_holds_everything_with_a_manifest(app, client, offices):
    application, staff = _full_case(app, client, offices)
    reference = application.reference
    response = staff.get(f"/amt/faelle/{reference}/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="Akte-{reference}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert {"antrag.json", "antrag.pdf", "protokoll.json", "manifest.json"} <= set(names)
    documents = [n for n in names if n.startswith("dokumente/")]
    letters = [n for n in names if n.startswith("bescheide/")]
    assert len(documents) == 1 and documents[0] == f"dokumente/{documents[0][10:].split('-')[0]}-passwd_.pdf" and ".." not in documents[0]
    assert len(letters) == 1
    assert all(not n.startswith("/") and ".." not in n for n in names)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["reference"] == reference
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data), path
    record = json.loads(archive.read("antrag.json"))
    assert record["reference"] == reference
    assert record["form"]["slug"] == "buergergeld" and record["form"]["version"] and len(record["form"]["content_hash"]) == 64
    assert record["answers"] == json.loads(application.answers)
    assert record["findings"] == json.loads(application.findings)
    assert record["confirmations"] == json.loads(application.confirmations)
    assert record["data_hash"] == application.data_hash
    assert record["status"] == "entschieden"
    assert record["requests"][0]["status"] == "beantwortet" and record["requests"][0]["items"][0]["title"] == "Lohnabrechnung"
    assert record["decisions"][0]["monthly_amount"] == "563.00" and record["decisions"][0]["file"] == letters[0]
    assert [e["to"] for e in record["history"]] == ["eingegangen", "unterlagen_nachgefordert", "in_bearbeitung",
                                                   "entschieden"]
    assert archive.read(documents[0]) == PDF
    with app.extensions["formwerk.storage"].reader() as db:
        decision = db.scalar(select(Decision).where(Decision.application_id == application.id))
    assert archive.read(letters[0]) == decision.letter
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("antrag.pdf"))).pages)
    assert reference in text and "Schmidt" in text
    log = json.loads(archive.read("protokoll.json"))
    actions = [e["action"] for e in log]
    assert actions[0] == "application.received" and actions[-1] == "case.export"
    assert {"request.create", "request.upload", "request.answer", "decision.create"} <= set(actions)


def test_the_export_is_audited(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    assert staff.get(f"/amt/faelle/{application.reference}/export.zip").status_code == 200
    with app.extensions["formwerk.storage"].reader() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.reference == application.reference,
                                                     AuditEvent.action == "case.export")).all()
    assert len(events) == 1 and events[0].actor.startswith("staff:") and events[0].office_id == offices.office["nord"]


def test_only_staff_who_may_see_the_case_can_export_it(app, client, offices):
    application = submitted_case(app, client)
    move(app, application.reference, "in_bearbeitung")
    path = f"/amt/faelle/{application.reference}/export.zip"
    for key in ("caseworker_a", "caseworker_b", "teamlead_b"):
        assert staff_client(app, offices, key).get(path).status_code == 404, key
    for key in ("author_a", "admin_a", "admin_b"):
        assert staff_client(app, offices, key).get(path).status_code == 403, key
    assert app.test_client().get(path).status_code == 302
    assert client.get(path).status_code == 302  # the applicant's session is not a staff sign-in
    assert staff_client(app, offices, "teamlead_a").get(path).status_code == 200
    assert staff_client(app, offices).get("/amt/faelle/FW-00000000-XXXXXXXX/export.zip").status_code == 404
    with app.extensions["formwerk.storage"].reader() as db:
        exports = db.scalars(select(AuditEvent).where(AuditEvent.action == "case.export")).all()
    assert len(exports) == 1  # refused attempts leave no export entry


def test_file_names_stay_inside_their_folder():
    from webapp.office.export import safe_name

    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("..") == "datei" and safe_name("") == "datei"
    assert safe_name("Lohn abrechnung (März).pdf") == "Lohn_abrechnung_M_rz_.pdf"
    assert len(safe_name("a" * 500)) == 120
