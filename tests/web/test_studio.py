"""The authors' studio (/studio): every route and role, editing with lint,
upload limits, export, explain, preview, cases, compare and migration,
four-eyes publishing, retiring, translations and history."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.staff import csrf_token, login
from webapp.accounts.models import AuditEvent
from webapp.storage import Draft, FormVersion

FORMS = Path(__file__).resolve().parents[2] / "forms"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

GET_ROUTES = ("", "/bearbeiten", "/erklaerung", "/vorschau", "/faelle", "/vergleich", "/uebersetzungen",
              "/verlauf", "/export.zip")
POST_ROUTES = ("/bearbeiten", "/pruefen", "/vorschlagen", "/freigeben", "/ausser-dienst", "/verwerfen",
               "/migrieren", "/uebersetzungen", "/faelle")


def version_id(app, slug: str, status: str = "published") -> int:
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalar(select(FormVersion.id).where(FormVersion.slug == slug, FormVersion.status == status)
                         .order_by(FormVersion.id.desc()).limit(1))


def row(app, vid: int) -> FormVersion:
    with app.extensions["formwerk.storage"].reader() as db:
        return db.get(FormVersion, vid)


def count_versions(app) -> int:
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalar(select(func.count()).select_from(FormVersion))


def token(client, path="/studio/") -> str:
    return csrf_token(client, path)


def new_draft(client, slug="terminanfrage") -> int:
    response = client.post(f"/studio/formulare/{slug}/entwurf", data={"csrf_token": token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(re.search(r"/versionen/(\d+)/", response.headers["Location"]).group(1))


def save(client, vid: int, text: str):
    return client.post(f"/studio/versionen/{vid}/bearbeiten", data={"csrf_token": token(client), "source": text},
                       content_type="multipart/form-data")


def source(app, vid: int) -> dict:
    return json.loads(row(app, vid).source_text)


def with_question(schema: dict) -> dict:
    """Terminanfrage plus a question asked only for an appointment by phone."""
    termin = schema["properties"]["termin"]
    termin.setdefault("allOf", []).append({  # no example case calls in the morning: they all still pass
        "if": {"properties": {"kanal": {"const": "telefon"}, "zeitfenster": {"contains": {"const": "vormittag"}}},
               "required": ["kanal", "zeitfenster"]},
        "then": {"properties": {"rueckruf_zeit": {"type": "string", "title": "Wann dürfen wir zurückrufen?",
                                                  "x-i18n": {"en": {"title": "When may we call back?"}}}}}})
    return schema


CALL_IN_THE_MORNING = {"termin": {"kanal": "telefon", "zeitfenster": ["vormittag"]}}


def accept_outcomes(app, vid: int) -> None:
    """What an author does after reading the comparison: the cases expect
    what the new version does (straight in the database, to keep tests short)."""
    from datetime import date

    from webapp.studio import versions

    with app.extensions["formwerk.storage"].session() as db:
        version = db.get(FormVersion, vid)
        form = versions.compiled(version)
        cases = {}
        for name, text in versions.cases_of(version).items():
            case = json.loads(text)
            outcome = form.check(case["answers"], as_of=date.fromisoformat(case["as_of"]) if case.get("as_of") else None)
            case["expect"] = {"valid": outcome.valid, "relevant": sorted(outcome.relevant),
                              "pruned": sorted(outcome.pruned), "error_paths": sorted({e.path for e in outcome.errors})}
            cases[name] = json.dumps(case, ensure_ascii=False)
        version.cases = json.dumps(cases, ensure_ascii=False)


def upload(client, data: bytes, filename: str, slug="terminanfrage", new_slug=""):
    """Post the upload form. The multipart body is built here, in memory: the
    test client would spool a large body to a temporary file it never closes."""
    boundary = "studio-test-boundary"
    fields = {"csrf_token": token(client, "/studio/hochladen"), "slug": slug, "new_slug": new_slug}
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
             f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/studio/hochladen", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def author(client, offices):
    login(client, offices.email["author_a"])
    return client


# -- roles ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_sign_in(app, client):
    vid = version_id(app, "terminanfrage")
    for path in ["/studio/", "/studio/hochladen"] + [f"/studio/versionen/{vid}{p}" for p in GET_ROUTES]:
        response = client.get(path)
        assert response.status_code == 302 and "/amt/anmelden" in response.headers["Location"], path


def test_an_applicant_with_a_draft_is_not_let_in(app, client):
    client.post("/antrag/terminanfrage/neu", data={"csrf_token": csrf_token(client, "/formulare/terminanfrage")})
    response = client.get("/studio/")
    assert response.status_code == 302 and "/amt/anmelden" in response.headers["Location"]


@pytest.mark.parametrize("role", ["caseworker_a", "admin_a"])
def test_other_staff_roles_get_403_everywhere(app, client, offices, role):
    vid = version_id(app, "terminanfrage")
    login(client, offices.email[role])
    for path in ["/studio/", "/studio/hochladen"] + [f"/studio/versionen/{vid}{p}" for p in GET_ROUTES]:
        assert client.get(path).status_code == 403, path
    tok = csrf_token(client, "/amt/konto")
    for path in [f"/studio/versionen/{vid}{p}" for p in POST_ROUTES] + ["/studio/formulare/terminanfrage/entwurf",
                                                                          "/studio/hochladen"]:
        assert client.post(path, data={"csrf_token": tok}).status_code == 403, path
    assert "Formular-Studio" not in client.get("/amt/konto").get_data(as_text=True)


@pytest.mark.parametrize("role", ["author_a", "teamlead_a"])
def test_authors_and_team_leads_see_every_page(app, client, offices, role):
    vid = version_id(app, "terminanfrage")
    login(client, offices.email[role])
    home = client.get("/studio/")
    assert home.status_code == 200
    assert "Formular-Studio" in home.get_data(as_text=True)
    for path in GET_ROUTES:
        response = client.get(f"/studio/versionen/{vid}{path}")
        assert response.status_code == 200, path
    assert client.get("/studio/versionen/99999").status_code == 404


def test_team_leads_cannot_change_anything_but_approve(app, client, offices):
    login(client, offices.email["author_a"])
    vid = new_draft(client)
    client.post("/amt/abmelden", data={"csrf_token": token(client)})
    login(client, offices.email["teamlead_a"])
    tok = token(client)
    assert client.post("/studio/formulare/terminanfrage/entwurf", data={"csrf_token": tok}).status_code == 403
    assert save(client, vid, "{}").status_code == 403
    for path in ("/vorschlagen", "/ausser-dienst", "/verwerfen", "/pruefen", "/migrieren"):
        assert client.post(f"/studio/versionen/{vid}{path}", data={"csrf_token": tok}).status_code == 403, path
    assert client.get("/studio/hochladen").status_code == 403


# -- forms, versions, editing ------------------------------------------------------------------


def test_overview_lists_versions_with_status_and_counts(app, author):
    html = author.get("/studio/").get_data(as_text=True)
    for slug in ("buergergeld", "terminanfrage", "buergergeld-rechner"):
        assert f"Versionen von „{slug}“" in html
    assert "Veröffentlicht" in html and "Offene Antragsentwürfe" in html and "Eingegangene Anträge" in html


def test_a_new_draft_starts_from_the_newest_published_version_and_saves_with_lint(app, author):
    published = version_id(app, "terminanfrage")
    vid = new_draft(author)
    draft = row(app, vid)
    assert draft.status == "draft" and draft.based_on_id == published
    assert draft.source_text == (FORMS / "terminanfrage" / "form.json").read_text(encoding="utf-8")
    schema = with_question(source(app, vid))
    response = save(author, vid, json.dumps(schema, ensure_ascii=False, indent=2))
    assert response.status_code == 302
    page = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gespeichert und geprüft." in page and "Keine Befunde" in page
    assert "rueckruf_zeit" in json.loads(row(app, vid).definition)["schema"]["properties"]["termin"]["allOf"][-1]["then"]["properties"]
    # applicants still start on the published version
    assert app.extensions["formwerk.catalog"].get("terminanfrage").id == published


def test_findings_carry_pointer_line_and_column(app, author):
    vid = new_draft(author)
    schema = source(app, vid)
    schema["properties"]["termin"]["x-bogus"] = True
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    save(author, vid, text)
    html = author.get(f"/studio/versionen/{vid}/bearbeiten").get_data(as_text=True)
    line, col = next((i, l.index('"x-bogus"') + 1) for i, l in enumerate(text.splitlines(), 1) if '"x-bogus"' in l)
    assert f'data-line="{line}" data-col="{col}"' in html
    assert "/properties/termin/x-bogus" in html and "Warnung" in html and "unknown-extension" in html


def test_live_lint_does_not_save_and_names_the_syntax_error(app, author):
    vid = new_draft(author)
    before = row(app, vid).source_text
    response = author.post(f"/studio/versionen/{vid}/pruefen", data={"csrf_token": token(author), "source": '{\n  "a": ,\n}'},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="findings"' in html and "<html" not in html
    assert 'data-line="2" data-col="8"' in html and "json-syntax" in html
    assert row(app, vid).source_text == before


def test_a_broken_text_is_kept_but_never_replaces_the_definition(app, author):
    vid = new_draft(author)
    definition = row(app, vid).definition
    save(author, vid, '{"type": "object", "properties": ')
    assert row(app, vid).source_text == '{"type": "object", "properties": '
    assert row(app, vid).definition == definition
    html = author.get(f"/studio/versionen/{vid}").get_data(as_text=True)
    assert "Noch nicht veröffentlichungsreif" in html


def test_only_drafts_can_be_edited(app, author):
    vid = version_id(app, "terminanfrage")
    assert save(author, vid, "{}").status_code == 409
    html = author.get(f"/studio/versionen/{vid}/bearbeiten").get_data(as_text=True)
    assert "Nur Entwürfe lassen sich bearbeiten" in html and "readonly" in html


# -- upload and export ------------------------------------------------------------------------


def test_malformed_uploads_get_clear_errors_and_nothing_is_stored(app, author):
    before = count_versions(app)
    published = app.extensions["formwerk.catalog"].get("terminanfrage").id
    cases = [
        (b"{not json", "form.json", "ist keine lesbare Formulardefinition"),
        (b"[1, 2]", "form.json", "ist keine lesbare Formulardefinition"),
        (b"\xff\xfe{}", "form.json", "kein UTF-8-Text"),
        (b"PK\x03\x04 broken", "form.zip", "lässt sich nicht lesen"),
        (b"", "form.json", "Die Datei ist leer"),
    ]
    for data, name, message in cases:
        response = upload(author, data, name)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, name
        assert message in html and "error-summary" in html, (name, html[:2000])
    zips = [({"cases/a.json": "{}"}, "fehlt die form.json"), ({"../form.json": "{}"}, "unzulässige Pfade"),
            ({"form.json": "{}", "scripts/run.sh": "echo"}, "gehört nicht in einen Formularordner")]
    for files, message in zips:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        response = upload(author, buffer.getvalue(), "form.zip")
        assert response.status_code == 422 and message in response.get_data(as_text=True), files
    assert upload(author, b"{}", "form.json", slug="_neu", new_slug="Bad Slug!").status_code == 422
    assert count_versions(app) == before
    assert app.extensions["formwerk.catalog"].get("terminanfrage").id == published


def test_a_form_that_does_not_settle_is_reported_and_cannot_be_published(app, author):
    # answering "k" with true selects `then`, which does not declare "k": pruned, asked again, and so on
    schema = {"type": "object", "title": "Kippt",
              "if": {"properties": {"k": {"const": True}}, "required": ["k"]},
              "then": {"properties": {"x": {"type": "string", "title": "X"}}},
              "else": {"properties": {"k": {"type": "boolean", "title": "K"}}}}
    response = upload(author, json.dumps(schema).encode(), "form.json", slug="_neu", new_slug="kippt")
    assert response.status_code == 302
    vid = version_id(app, "kippt", "draft")
    html = author.get(f"/studio/versionen/{vid}/bearbeiten").get_data(as_text=True)
    assert "does-not-settle" in html
    response = author.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(author)})
    assert response.status_code == 302
    assert row(app, vid).proposed_by is None and row(app, vid).status == "draft"
    assert "Noch nicht veröffentlichungsreif" in author.get(response.headers["Location"]).get_data(as_text=True)
    assert app.extensions["formwerk.catalog"].get("kippt") is None


def test_huge_uploads_and_zip_bombs_stop_at_the_limit(app, author):
    before = count_versions(app)
    response = upload(author, b" " * (5 * 1024 * 1024), "form.json")
    assert response.status_code == 422 and "zu groß" in response.get_data(as_text=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("form.json", "{}")
        archive.writestr("cases/bomb.json", b" " * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024  # tiny compressed, 50 MB unpacked
    response = upload(author, buffer.getvalue(), "bomb.zip")
    assert response.status_code == 422 and "entpackt zu groß" in response.get_data(as_text=True)
    assert count_versions(app) == before


def test_a_small_zip_too_large_unpacked_says_so_precisely(app, author):
    """Five cases of 1.9 MB each (each under the per-file limit) unpack to
    more than 8 MB from a zip of a few KB: the message names the unpacked
    limit and the archive's own size, not "the file is too large"."""
    before = count_versions(app)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("form.json", "{}")
        for n in range(5):
            archive.writestr(f"cases/fall{n}.json", b" " * (1900 * 1024))
    size_kb = round(len(buffer.getvalue()) / 1024)
    assert size_kb < 100
    response = upload(author, buffer.getvalue(), "viel.zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Die Datei ist zu groß" not in page
    assert (f"Das ZIP-Archiv ist entpackt zu groß: Die hochgeladene Datei hat {size_kb} KB, ihre 6 Dateien ergeben "
            "entpackt aber mehr als 8 MB. Erlaubt sind entpackt höchstens 8 MB zusammen.") in page
    assert count_versions(app) == before


def test_export_is_byte_stable_and_round_trips_through_upload(app, author):
    vid = version_id(app, "terminanfrage")
    first = author.get(f"/studio/versionen/{vid}/export.zip")
    second = author.get(f"/studio/versionen/{vid}/export.zip")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert first.data == second.data
    archive = zipfile.ZipFile(io.BytesIO(first.data))
    names = archive.namelist()
    assert names[0] == "terminanfrage/form.json"
    assert archive.read("terminanfrage/form.json") == (FORMS / "terminanfrage" / "form.json").read_bytes()
    for case in sorted((FORMS / "terminanfrage" / "cases").glob("*.json")):
        assert archive.read(f"terminanfrage/cases/{case.name}") == case.read_bytes()
    response = upload(author, first.data, "terminanfrage.zip")
    assert response.status_code == 302
    uploaded = version_id(app, "terminanfrage", "draft")
    assert author.get(f"/studio/versionen/{uploaded}/export.zip").data.replace(b"", b"") == first.data


# -- explain, preview, cases ------------------------------------------------------------------


def test_explain_page_in_german_and_english(app, author):
    vid = version_id(app, "terminanfrage")
    html = author.get(f"/studio/versionen/{vid}/erklaerung").get_data(as_text=True)
    assert "wird gefragt, wenn „Wie möchten Sie mit uns sprechen?“ = „Am Telefon“" in html
    assert "asked when “How would you like to talk to us?” = “By telephone”" in html.replace("&#34;", '"')


def test_preview_renders_the_applicants_fields_and_the_panel(app, author):
    vid = version_id(app, "terminanfrage")
    html = author.get(f"/studio/versionen/{vid}/vorschau?abschnitt=termin").get_data(as_text=True)
    assert "Wie möchten Sie mit uns sprechen?" in html and 'name="/termin/kanal"' in html
    assert "Unter welcher Nummer rufen wir Sie an?" not in html
    response = author.post(f"/studio/versionen/{vid}/vorschau", data={
        "csrf_token": token(author), "abschnitt": "termin", "answers": "{}", "as_of": "2026-03-01",
        "/termin/kanal": "telefon", "action": "fields"}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unter welcher Nummer rufen wir Sie an?" in html
    assert "&#34;kanal&#34;: &#34;telefon&#34;" in html or '"kanal": "telefon"' in html
    assert "<code>/termin/rufnummer</code>" in html
    bad = author.post(f"/studio/versionen/{vid}/vorschau", data={"csrf_token": token(author), "answers": "[1",
                                                                  "action": "json"}, content_type="multipart/form-data")
    assert "kein JSON-Objekt" in bad.get_data(as_text=True)


def test_save_as_case_and_run_the_cases(app, author):
    vid = new_draft(author)
    answers = json.loads((FORMS / "terminanfrage" / "cases" / sorted(
        p.name for p in (FORMS / "terminanfrage" / "cases").glob("*.json"))[0]).read_text(encoding="utf-8"))["answers"]
    response = author.post(f"/studio/versionen/{vid}/vorschau", data={
        "csrf_token": token(author), "answers": json.dumps(answers), "as_of": "2026-03-01", "action": "case",
        "case_name": "99_aus_der_vorschau"}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/versionen/{vid}/faelle")
    case = json.loads(json.loads(row(app, vid).cases)["99_aus_der_vorschau"])
    assert case["as_of"] == "2026-03-01" and case["answers"] == answers and "valid" in case["expect"]
    html = author.get(f"/studio/versionen/{vid}/faelle").get_data(as_text=True)
    assert "cases/99_aus_der_vorschau.json" in html and "nicht bestanden" not in html
    assert "Verzweigungen abgedeckt" in html
    bad_name = author.post(f"/studio/versionen/{vid}/vorschau", data={
        "csrf_token": token(author), "answers": "{}", "action": "case", "case_name": "../x"},
        content_type="multipart/form-data")
    assert bad_name.status_code == 302 and "99_aus_der_vorschau" in row(app, vid).cases


def test_a_failing_case_shows_expected_and_actual(app, author):
    vid = new_draft(author)
    cases = json.loads(row(app, vid).cases)
    cases["zz_falsch"] = json.dumps({"answers": {}, "expect": {"valid": True}})
    with app.extensions["formwerk.storage"].session() as db:
        db.get(FormVersion, vid).cases = json.dumps(cases)
    html = author.get(f"/studio/versionen/{vid}/faelle").get_data(as_text=True)
    assert "nicht bestanden" in html and "valid: expected True, got False" in html
    assert "Erwartet" in html and "Tatsächlich" in html and "&#34;valid&#34;: false" in html.replace('"valid": false', "&#34;valid&#34;: false")
    response = author.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(author)})
    assert row(app, vid).proposed_by is None
    assert "Fällen bestehen nicht" in author.get(response.headers["Location"]).get_data(as_text=True)


# -- publishing, migrating, retiring ----------------------------------------------------------


def logout(client):
    client.post("/amt/abmelden", data={"csrf_token": token(client, "/amt/konto")})


def test_four_eyes_publishing_and_pinned_drafts(app, client, offices):
    catalog, drafts = app.extensions["formwerk.catalog"], app.extensions["formwerk.drafts"]
    old_draft = drafts.create(catalog.get("terminanfrage"))
    login(client, offices.email["author_a"])
    vid = new_draft(client)
    save(client, vid, json.dumps(with_question(source(app, vid)), ensure_ascii=False, indent=2))
    client.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(client)})
    assert row(app, vid).proposed_by == offices.staff["author_a"]
    response = client.post(f"/studio/versionen/{vid}/freigeben", data={"csrf_token": token(client)})
    assert row(app, vid).status == "draft"
    assert "Vier-Augen-Prinzip" in client.get(response.headers["Location"]).get_data(as_text=True)
    logout(client)
    login(client, offices.email["teamlead_a"])
    client.post(f"/studio/versionen/{vid}/freigeben", data={"csrf_token": token(client)})
    published = row(app, vid)
    assert published.status == "published" and published.approved_by == offices.staff["teamlead_a"]
    for page in ("/studio/", f"/studio/versionen/{vid}"):  # published: no longer "proposed for approval"
        assert "zur Freigabe vorgeschlagen" not in client.get(page).get_data(as_text=True)
    assert len(published.content_hash) == 64
    current = catalog.get("terminanfrage")
    assert current.id == vid
    fresh = drafts.create(current)
    assert "/termin/rueckruf_zeit" in fresh.published.form.check(CALL_IN_THE_MORNING).relevant
    kept = drafts.open(old_draft.token)
    assert kept.published.id != vid
    assert "/termin/rueckruf_zeit" not in kept.published.form.check(CALL_IN_THE_MORNING).relevant
    with app.extensions["formwerk.storage"].reader() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.reference == f"fv:{vid}"))]
    assert actions[:1] == ["studio.draft_created"] and "studio.proposed" in actions and "studio.published" in actions


def test_saving_withdraws_a_proposal(app, author):
    vid = new_draft(author)
    author.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(author)})
    assert row(app, vid).proposed_by is not None
    save(author, vid, row(app, vid).source_text)
    assert row(app, vid).proposed_by is None


def test_an_unchanged_copy_cannot_be_published_twice(app, client, offices):
    login(client, offices.email["author_a"])
    vid = new_draft(client)
    client.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(client)})
    logout(client)
    login(client, offices.email["author_b"])
    response = client.post(f"/studio/versionen/{vid}/freigeben", data={"csrf_token": token(client)})
    assert row(app, vid).status == "draft"
    assert "inhaltlich gleich" in client.get(response.headers["Location"]).get_data(as_text=True)


def publish(app, client, offices, schema: dict) -> int:
    login(client, offices.email["author_a"])
    vid = new_draft(client)
    save(client, vid, json.dumps(schema, ensure_ascii=False, indent=2))
    accept_outcomes(app, vid)
    client.post(f"/studio/versionen/{vid}/vorschlagen", data={"csrf_token": token(client)})
    logout(client)
    login(client, offices.email["author_b"])
    client.post(f"/studio/versionen/{vid}/freigeben", data={"csrf_token": token(client)})
    logout(client)
    assert row(app, vid).status == "published"
    return vid


def test_compare_migration_report_and_migrating_open_drafts(app, client, offices):
    catalog, drafts = app.extensions["formwerk.catalog"], app.extensions["formwerk.drafts"]
    old_id = catalog.get("terminanfrage").id
    draft = drafts.create(catalog.get("terminanfrage"))
    draft.answers = {"termin": {"kanal": "video", "email": "a@example.org"}, "anliegen": {"grund": "beratung"}}
    drafts.save(draft)
    untouched = drafts.create(catalog.get("terminanfrage"))
    schema = json.loads((FORMS / "terminanfrage" / "form.json").read_text(encoding="utf-8"))
    for branch in schema["properties"]["termin"]["allOf"]:  # no e-mail for video calls any more
        branch["then"].get("properties", {}).pop("email", None)
        if "email" in branch["then"].get("required", []):
            branch["then"]["required"].remove("email")
    schema = with_question(schema)
    new_id = publish(app, client, offices, schema)
    login(client, offices.email["author_a"])
    html = client.get(f"/studio/versionen/{new_id}/vergleich?mit={old_id}").get_data(as_text=True)
    assert "Neue Frage „Wann dürfen wir zurückrufen?“" in html
    assert "2 offene Antragsentwürfe" in html and "1 davon würden" in html
    response = client.post(f"/studio/versionen/{new_id}/migrieren", data={"csrf_token": token(client), "von": old_id})
    assert response.status_code == 302
    moved = drafts.open(draft.token)
    assert moved.published.id == new_id and moved.revision == draft.revision + 1
    assert "email" not in moved.answers["termin"]
    assert drafts.open(untouched.token).published.id == new_id
    back = drafts.create(catalog.version(new_id))  # drafts never move back to an older version
    response = client.post(f"/studio/versionen/{old_id}/migrieren", data={"csrf_token": token(client), "von": new_id})
    assert "nur auf eine neuere" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert drafts.open(back.token).published.id == new_id
    # the applicant sees what changed on their next visit, once
    applicant = app.test_client()
    with applicant.session_transaction() as session:
        session["drafts"] = {"terminanfrage": draft.token}
    page = applicant.get("/antrag/terminanfrage").get_data(as_text=True)
    assert "Das Formular wurde aktualisiert" in page and "Wann dürfen wir zurückrufen?" in page
    assert "nicht mehr gebraucht" in page
    assert "Das Formular wurde aktualisiert" not in applicant.get("/antrag/terminanfrage").get_data(as_text=True)


def test_retire_stops_new_drafts_but_open_ones_finish(app, author):
    catalog, drafts = app.extensions["formwerk.catalog"], app.extensions["formwerk.drafts"]
    vid = catalog.get("terminanfrage").id
    draft = drafts.create(catalog.get("terminanfrage"))
    author.post(f"/studio/versionen/{vid}/ausser-dienst", data={"csrf_token": token(author)})
    assert row(app, vid).status == "retired"
    assert catalog.get("terminanfrage") is None
    assert drafts.open(draft.token).published.id == vid
    applicant = app.test_client()
    response = applicant.post("/antrag/terminanfrage/neu",
                              data={"csrf_token": csrf_token(applicant, "/formulare/buergergeld")})
    assert response.status_code == 404


# -- translations and history -----------------------------------------------------------------


def test_translations_show_missing_ones_and_can_be_edited(app, author):
    vid = new_draft(author)
    schema = source(app, vid)
    del schema["properties"]["termin"]["x-i18n"]["en"]["title"]
    save(author, vid, json.dumps(schema, ensure_ascii=False, indent=2))
    html = author.get(f"/studio/versionen/{vid}/uebersetzungen?gruppe=termin").get_data(as_text=True)
    assert "1 Texte ohne Übersetzung" in html and "studio-missing" in html
    key = "tr:/properties/termin|title|"
    assert f'name="{key}"' in html
    author.post(f"/studio/versionen/{vid}/uebersetzungen", data={"csrf_token": token(author), "gruppe": "termin",
                                                                  key: "Your appointment"})
    assert source(app, vid)["properties"]["termin"]["x-i18n"]["en"]["title"] == "Your appointment"
    assert "0 Texte ohne Übersetzung" in author.get(f"/studio/versionen/{vid}/uebersetzungen").get_data(as_text=True)


def test_history_lists_who_did_what_and_when(app, author, offices):
    vid = new_draft(author)
    save(author, vid, row(app, vid).source_text)
    author.get(f"/studio/versionen/{vid}/export.zip")
    html = author.get(f"/studio/versionen/{vid}/verlauf").get_data(as_text=True)
    for action in ("studio.draft_created", "studio.saved", "studio.exported"):
        assert action in html
    assert offices.email["author_a"] in html


def test_discarding_a_draft(app, author):
    vid = new_draft(author)
    response = author.post(f"/studio/versionen/{vid}/verwerfen", data={"csrf_token": token(author)})
    assert response.status_code == 302 and row(app, vid) is None
    published = version_id(app, "terminanfrage")
    author.post(f"/studio/versionen/{published}/verwerfen", data={"csrf_token": token(author)})
    assert row(app, published) is not None
