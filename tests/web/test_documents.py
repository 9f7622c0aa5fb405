"""Document uploads: type by content, size limits, listing on the review page
(hostile files are in tests/security/test_uploads.py)."""

import io
import re

import pytest
from werkzeug.test import encode_multipart

from tests.security.samples import PDF, PNG

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def application(client):
    token = CSRF.search(client.get("/formulare/buergergeld").get_data(as_text=True)).group(1)
    client.post("/antrag/buergergeld/neu", data={"csrf_token": token})
    return client, token


def upload(client, token, content, name="nachweis.pdf", requirement="ausweis@/ausweis"):
    # encoded in memory: werkzeug's test client would spool a large body to a file it never closes
    from werkzeug.datastructures import FileStorage, MultiDict

    fields = MultiDict({"csrf_token": token, "requirement": requirement})
    fields.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(fields)
    return client.post("/antrag/buergergeld/nachweise", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_page_lists_the_documents_the_answers_call_for(application):
    client, token = application
    html = client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)
    assert "Ausweis der antragstellenden Person" in html and "Mietvertrag" not in html
    client.post("/antrag/buergergeld/seite/wohnen", data={"csrf_token": token, "action": "weiter", "/wohnen/wohnsituation": "miete"})
    assert "Mietvertrag (vollständig)" in client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)


def test_pdf_and_png_are_accepted_and_shown_on_the_review_page(application):
    client, token = application
    assert upload(client, token, PDF).status_code == 302
    assert upload(client, token, PNG, name="rueckseite.png").status_code == 302
    html = client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)
    assert "nachweis.pdf" in html and "rueckseite.png" in html
    review = client.get("/antrag/buergergeld/pruefen").get_data(as_text=True)
    assert "Ausweis der antragstellenden Person (Vorder- und Rückseite): <strong class=\"tag tag--done\">Hochgeladen" in review


def test_type_is_decided_by_content_not_by_name(application):
    client, token = application
    refused = upload(client, token, b"MZ\x90\x00 this is an executable", name="ausweis.pdf")
    assert refused.status_code == 400
    assert "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch." in refused.get_data(as_text=True)


def test_empty_missing_and_oversize_files_are_refused(application):
    client, token = application
    assert "Die Datei ist leer" in upload(client, token, b"").get_data(as_text=True)
    missing = client.post("/antrag/buergergeld/nachweise", data={"csrf_token": token, "requirement": "ausweis@/ausweis"})
    assert missing.status_code == 400 and "Wählen Sie eine Datei aus." in missing.get_data(as_text=True)
    big = upload(client, token, PDF + b"0" * (10 * 1024 * 1024))
    assert big.status_code == 400 and "Die Datei ist zu groß" in big.get_data(as_text=True)


def test_uploads_for_documents_not_called_for_are_rejected(application):
    client, token = application
    assert upload(client, token, PDF, requirement="mietvertrag@/wohnen").status_code == 400


def test_files_can_be_deleted(application):
    client, token = application
    upload(client, token, PDF)
    html = client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)
    file_id = re.search(r'value="delete:(\d+)"', html).group(1)
    client.post("/antrag/buergergeld/nachweise", data={"csrf_token": token, "action": f"delete:{file_id}"})
    assert "nachweis.pdf" not in client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)


def test_upload_without_csrf_is_refused(application):
    client, _ = application
    refused = client.post("/antrag/buergergeld/nachweise", content_type="multipart/form-data",
                          data={"requirement": "ausweis@/ausweis", "file": (io.BytesIO(PDF), "a.pdf")})
    assert refused.status_code == 400


def _with_files(app, answers: dict, requirements: list[str]) -> None:
    """Give the (only) draft these answers and one upload for each requirement key."""
    import json

    from sqlalchemy import select

    from webapp.storage import Document, Draft

    with app.extensions["formwerk.storage"].session() as db:
        draft = db.scalar(select(Draft))
        draft.answers = json.dumps(answers)
        for number, key in enumerate(requirements):
            db.add(Document(draft_id=draft.id, requirement=key, filename=f"datei{number}.pdf", content_type="application/pdf",
                            size=len(PDF), sha256="0" * 64, content=PDF))


HOUSEHOLD = {"haushalt": {"partner_im_haushalt": False, "kinder_im_haushalt": True, "weitere_personen": False,
                          "partner": {"vorname": "Ayşe", "nachname": "Yilmaz"},
                          "kinder": [{"vorname": "Elif", "nachname": "Yilmaz", "geburtsdatum": "2016-03-01",
                                      "verwandtschaft": "kind"}]},
             "einkommen": {"antragsteller": {"hat_einkommen": True, "einkuenfte": [{"art": "erwerbstaetigkeit"}]}}}


def test_uploads_left_behind_say_whose_they_were(app, application):
    """An upload whose document the answers no longer call for is listed on
    the review with the name it was uploaded for while the draft's answers
    still give it (the partner after "Partner: Nein"), and as a removed
    person's (or entry's) when its list entry is gone: never as a bare
    "(Ausweis)" that could be the applicant's own."""
    client, _ = application
    _with_files(app, HOUSEHOLD, ["ausweis-partner@/haushalt/partner", "ausweis-person@/haushalt/kinder/1/wep",
                                 "gehaltsabrechnungen@/einkommen/antragsteller/einkuenfte/2"])
    review = client.get("/antrag/buergergeld/pruefen").get_data(as_text=True)
    assert "Hochgeladene Datei „datei0.pdf“ (Ausweis von Ayşe Yilmaz)" in review
    assert "Hochgeladene Datei „datei1.pdf“ (Ausweis, entfernte Person)" in review
    assert "Hochgeladene Datei „datei2.pdf“ (Gehaltsabrechnungen der letzten 3 Monate, entfernter Eintrag)" in review
    client.get("/?lang=en")
    review = client.get("/antrag/buergergeld/pruefen").get_data(as_text=True)
    assert "Uploaded file “datei0.pdf” (Identity document for Ayşe Yilmaz)" in review
    assert "Uploaded file “datei1.pdf” (Identity document, removed person)" in review


def test_uploads_follow_their_entry_when_an_entry_before_them_is_removed(app, application):
    """Three children, each with an ID uploaded; the first is removed: the
    second's and third's IDs move up with them, the first's is kept aside as
    a removed person's (webapp.documents.follow_removal, for the wizard's
    "Entfernen")."""
    from sqlalchemy import select

    from webapp.documents import follow_removal
    from webapp.storage import Document, Draft

    client, _ = application
    keys = [f"ausweis-person@/haushalt/kinder/{n}/wep" for n in range(3)] + ["ausweis@/ausweis"]
    children = [{"vorname": name, "nachname": "Yilmaz", "geburtsdatum": "2008-03-01", "verwandtschaft": "kind"}
                for name in ("Elif", "Deniz", "Can")]
    _with_files(app, {"haushalt": {**HOUSEHOLD["haushalt"], "kinder": children[1:]}}, keys)
    with app.app_context():
        draft_id = app.extensions["formwerk.storage"].reader().scalar(select(Draft.id))
        with app.extensions["formwerk.storage"].session() as db:
            follow_removal(db, draft_id, "/haushalt/kinder/0")
        with app.extensions["formwerk.storage"].reader() as db:
            moved = dict(db.execute(select(Document.filename, Document.requirement)).all())
    assert moved == {"datei0.pdf": "ausweis-person@/haushalt/kinder/-/wep", "datei1.pdf": "ausweis-person@/haushalt/kinder/0/wep",
                     "datei2.pdf": "ausweis-person@/haushalt/kinder/1/wep", "datei3.pdf": "ausweis@/ausweis"}
    review = client.get("/antrag/buergergeld/pruefen").get_data(as_text=True)
    assert "Hochgeladene Datei „datei0.pdf“ (Ausweis, entfernte Person)" in review
    # Deniz's and Can's IDs are theirs now, not left behind
    assert "Hochgeladene Datei „datei1.pdf“" not in review and "Hochgeladene Datei „datei2.pdf“" not in review


def test_removing_an_entry_in_the_wizard_moves_the_uploads_of_the_entries_after_it(app, client):
    """Through the wizard's "Entfernen": the removed child's upload is set
    aside and the next child's ID moves up with its child."""
    from sqlalchemy import select

    from tests.web.test_drafts_merge import Tab, _buergergeld_tabs
    from webapp.storage import Document, Draft

    token = _buergergeld_tabs(app, client)
    with app.extensions["formwerk.storage"].session() as db:
        draft = db.scalar(select(Draft))
        for n in range(2):
            db.add(Document(draft_id=draft.id, requirement=f"ausweis-person@/haushalt/kinder/{n}/wep",
                            filename=f"kind{n}.pdf", content_type="application/pdf", size=len(PDF),
                            sha256="0" * 64, content=PDF))
    removed = Tab(client, token, "haushalt", "buergergeld").post(action="remove:/haushalt/kinder/0")
    assert removed.status_code == 302
    with app.extensions["formwerk.storage"].reader() as db:
        moved = dict(db.execute(select(Document.filename, Document.requirement)).all())
    assert moved == {"kind0.pdf": "ausweis-person@/haushalt/kinder/-/wep",
                     "kind1.pdf": "ausweis-person@/haushalt/kinder/0/wep"}



@pytest.mark.parametrize("saved", [True, False])
def test_uploads_move_only_when_the_removal_is_saved(app, saved):
    """The removal and the moved uploads are one transaction: a save that
    loses the race with another (a conflict) moves nothing."""
    from sqlalchemy import select

    from webapp.documents import follow_removal
    from webapp.drafts import Conflict
    from webapp.storage import Document

    drafts, storage = app.extensions["formwerk.drafts"], app.extensions["formwerk.storage"]
    with app.app_context():
        draft = drafts.create(app.extensions["formwerk.catalog"].get("buergergeld"))
        with storage.session() as db:
            for n in range(2):
                db.add(Document(draft_id=draft.id, requirement=f"ausweis-person@/haushalt/kinder/{n}/wep",
                                filename=f"kind{n}.pdf", content_type="application/pdf", size=len(PDF),
                                sha256="0" * 64, content=PDF))
        if not saved:
            draft.revision += 1  # another tab saved since this copy was read
        try:
            drafts.save(draft, editor="x" * 16, also=lambda db: follow_removal(db, draft.id, "/haushalt/kinder/0"))
        except Conflict:
            assert not saved
        with storage.reader() as db:
            kept = dict(db.execute(select(Document.filename, Document.requirement)
                                   .where(Document.draft_id == draft.id)).all())
    assert kept == ({"kind0.pdf": "ausweis-person@/haushalt/kinder/-/wep", "kind1.pdf": "ausweis-person@/haushalt/kinder/0/wep"}
                    if saved else
                    {"kind0.pdf": "ausweis-person@/haushalt/kinder/0/wep", "kind1.pdf": "ausweis-person@/haushalt/kinder/1/wep"})
