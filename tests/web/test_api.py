"""/api/v1 for the office's own software: bearer tokens only, one office per
token, cursor pagination, receipts, status events with optimistic locking,
problem details for every error, the audit log, and the OpenAPI 3.1
description (validated, and every real response checked against it)."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import select

from tests.conftest import make_app
from tests.staff import create_offices, first_valid_case, login, submit
from webapp.accounts.models import ApiToken, AuditEvent
from webapp.office import api
from webapp.office.api_spec import schema
from webapp.office.models import CaseEvent
from webapp.storage import Application, Document, utcnow


def conforms(body, name: str) -> None:
    """``body`` validates against the component schema ``name`` of the description."""
    Draft202012Validator(schema(name), format_checker=FormatChecker()).validate(body)


def is_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    conforms(body, "Problem")
    assert body["status"] == status
    if code:
        assert body["code"] == code, body
    return body


def make_token(app, office_id: int, scopes: str = "read write", name: str = "Fachverfahren") -> str:
    token, digest = api.new_token()
    with app.extensions["formwerk.storage"].session() as db:
        db.add(ApiToken(office_id=office_id, name=name, scopes=scopes, token_hash=digest))
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class World:
    def __init__(self, app, offices):
        self.app, self.offices = app, offices
        answers, as_of = first_valid_case()
        app.config["FORMWERK_TODAY"] = as_of
        self.nord = []
        for surname in ("Albers", "Brandt", "Lorenz"):  # postcode 04109: office nord
            answers = copy.deepcopy(answers)
            answers["person"]["nachname"] = surname
            answers["kontakt"]["plz"] = "04109"
            self.nord.append(submit(app, app.test_client(), answers, as_of=as_of))
        answers = copy.deepcopy(answers)
        answers["kontakt"]["plz"] = "80331"  # office sued
        self.sued = submit(app, app.test_client(), answers, as_of=as_of)
        self.token_a = make_token(app, offices.office["nord"])
        self.read_a = make_token(app, offices.office["nord"], scopes="read", name="Lesezugang")
        self.token_b = make_token(app, offices.office["sued"])
        with app.extensions["formwerk.storage"].session() as db:
            doc = Document(application_id=self.nord[0].id, requirement="ausweis@/ausweis", filename="Ausweis ä.pdf",
                           content_type="application/pdf", size=11, sha256=hashlib.sha256(b"%PDF-1.4\n%\xe2\xe3").hexdigest(),
                           content=b"%PDF-1.4\n%\xe2\xe3")
            db.add(doc)
            other = Document(application_id=self.nord[1].id, requirement="x@/x", filename="b.png",
                             content_type="image/png", size=3, sha256="0" * 64, content=b"png")
            db.add(other)
            db.flush()
            self.doc_id, self.other_doc_id = doc.id, other.id

    def application(self, reference: str) -> Application:
        with self.app.extensions["formwerk.storage"].reader() as db:
            return db.scalar(select(Application).where(Application.reference == reference))

    def audit(self) -> list[AuditEvent]:
        with self.app.extensions["formwerk.storage"].reader() as db:
            return list(db.scalars(select(AuditEvent).order_by(AuditEvent.id)))


@pytest.fixture
def world(app, offices):
    return World(app, offices)


# -- the description --------------------------------------------------------------------------------------------

def test_openapi_description_is_valid_and_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearer"]["description"]}
    assert "set-cookie" not in {name.lower() for name in response.headers.keys()}


def test_every_api_route_is_described(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    described = {(path, method.upper()) for path, item in spec["paths"].items()
                 for method in item if method in ("get", "post", "put", "patch", "delete")}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<int:document_id>", "{document_id}").replace(
                "<reference>", "{reference}")
            served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == described


# -- authentication ---------------------------------------------------------------------------------------------

def test_calls_without_a_valid_token_are_refused_with_401(app, client, world, offices):
    url = f"/api/v1/applications/{world.nord[0].reference}"
    body = is_problem(client.get(url), 401, "token_missing")
    assert "Bearer" in client.get(url).headers["WWW-Authenticate"]
    assert body["detail"]
    is_problem(client.get(url, headers={"Authorization": "Basic dXNlcjpwdw=="}), 401, "token_missing")
    is_problem(client.get(url, headers=bearer("fwk_not-a-token")), 401, "token_invalid")
    is_problem(client.get(url, headers=bearer("ä" * 300)), 401, "token_invalid")
    # a staff session cookie is no credential for the API
    staff = app.test_client()
    assert login(staff, offices.email["teamlead_a"]).status_code == 302
    is_problem(staff.get(url), 401)
    is_problem(staff.post(f"{url}/acknowledge"), 401)


def test_a_revoked_token_is_refused(app, client, world):
    headers = bearer(world.token_a)
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    with app.extensions["formwerk.storage"].session() as db:
        db.scalar(select(ApiToken).where(ApiToken.token_hash == api.token_hash(world.token_a))).revoked_at = utcnow()
    is_problem(client.get("/api/v1/applications", headers=headers), 401, "token_invalid")


def test_only_the_hash_of_a_token_is_stored(app, world):
    with app.extensions["formwerk.storage"].reader() as db:
        rows = db.scalars(select(ApiToken)).all()
    stored = {row.token_hash for row in rows}
    assert hashlib.sha256(world.token_a.encode()).hexdigest() in stored
    assert world.token_a not in stored and all(len(h) == 64 for h in stored)


def test_last_used_is_written_at_most_once_a_minute(app, client, world):
    storage = app.extensions["formwerk.storage"]

    def last_used():
        with storage.reader() as db:
            return db.scalar(select(ApiToken.last_used_at).where(ApiToken.token_hash == api.token_hash(world.token_a)))

    assert last_used() is None
    client.get("/api/v1/applications", headers=bearer(world.token_a))
    first = last_used()
    assert first is not None
    client.get("/api/v1/applications", headers=bearer(world.token_a))
    assert last_used() == first  # within the minute: not written again
    with storage.session() as db:
        db.scalar(select(ApiToken).where(ApiToken.token_hash == api.token_hash(world.token_a))).last_used_at = (
            utcnow() - timedelta(minutes=2))
    client.get("/api/v1/applications", headers=bearer(world.token_a))
    assert last_used().replace(tzinfo=None) > (utcnow() - timedelta(seconds=30)).replace(tzinfo=None)


def test_api_responses_set_no_cookie(client, world):
    for response in (client.get("/api/v1/applications", headers=bearer(world.token_a)),
                     client.get("/api/v1/applications"),
                     client.post(f"/api/v1/applications/{world.nord[0].reference}/acknowledge",
                                 headers=bearer(world.token_a))):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


# -- listing ----------------------------------------------------------------------------------------------------

def test_list_shows_only_the_tokens_office_with_cursor_pagination(client, world):
    response = client.get("/api/v1/applications?limit=2", headers=bearer(world.token_a))
    assert response.status_code == 200
    page = response.get_json()
    conforms(page, "ApplicationList")
    assert [item["reference"] for item in page["items"]] == [a.reference for a in world.nord[:2]]
    assert page["next_cursor"] == str(world.nord[1].id)
    item = page["items"][0]
    assert item["form"]["slug"] == "buergergeld" and item["applicant_name"].startswith("Albers")
    assert item["url"] == f"/api/v1/applications/{world.nord[0].reference}"
    second = client.get(f"/api/v1/applications?limit=2&cursor={page['next_cursor']}", headers=bearer(world.token_a))
    page2 = second.get_json()
    conforms(page2, "ApplicationList")
    assert [item["reference"] for item in page2["items"]] == [world.nord[2].reference]
    assert page2["next_cursor"] is None
    # office B sees only its own
    b = client.get("/api/v1/applications", headers=bearer(world.token_b)).get_json()
    assert [item["reference"] for item in b["items"]] == [world.sued.reference]


@pytest.mark.parametrize("query, code", [("limit=0", "bad_limit"), ("limit=201", "bad_limit"),
                                         ("limit=abc", "bad_limit"), ("limit=-1", "bad_limit"),
                                         ("cursor=x", "bad_cursor"), ("cursor=" + "9" * 30, "bad_cursor")])
def test_bad_list_parameters_are_400(client, world, query, code):
    is_problem(client.get(f"/api/v1/applications?{query}", headers=bearer(world.token_a)), 400, code)


def test_limit_is_bounded_and_defaults(client, world):
    page = client.get("/api/v1/applications?limit=200", headers=bearer(world.token_a)).get_json()
    assert len(page["items"]) == 3 and page["next_cursor"] is None
    assert len(client.get("/api/v1/applications", headers=bearer(world.token_a)).get_json()["items"]) == 3


# -- one application and its documents -------------------------------------------------------------------------

def test_fetch_one_with_answers_findings_computed_and_documents(client, world):
    reference = world.nord[0].reference
    response = client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_a))
    assert response.status_code == 200
    body = response.get_json()
    conforms(body, "Application")
    assert body["reference"] == reference and body["status"] == "eingegangen"
    assert body["answers"]["person"]["nachname"] == "Albers"
    assert body["computed"], "computed values (e.g. the estimate) are included"
    assert isinstance(body["findings"], list) and isinstance(body["confirmations"], list)
    assert response.headers["ETag"] == f'"{body["lock_version"]}"'
    assert [d["id"] for d in body["documents"]] == [world.doc_id]
    assert body["documents"][0]["url"] == f"/api/v1/applications/{reference}/documents/{world.doc_id}"
    assert body["acknowledged_at"] is None


def test_another_offices_application_is_404(client, world):
    for reference in (world.nord[0].reference,):
        is_problem(client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_b)), 404)
        is_problem(client.get(f"/api/v1/applications/{reference}/documents/{world.doc_id}",
                              headers=bearer(world.token_b)), 404)
        is_problem(client.post(f"/api/v1/applications/{reference}/acknowledge", headers=bearer(world.token_b)), 404)
        is_problem(client.post(f"/api/v1/applications/{reference}/events", headers=bearer(world.token_b),
                               json={"status": "in_bearbeitung", "lock_version": 0}), 404)
    is_problem(client.get(f"/api/v1/applications/{world.sued.reference}", headers=bearer(world.token_a)), 404)
    is_problem(client.get("/api/v1/applications/FW-NOPE", headers=bearer(world.token_a)), 404)
    is_problem(client.get("/api/v1/applications/" + "X" * 40, headers=bearer(world.token_a)), 404)


def test_document_download(client, world):
    reference = world.nord[0].reference
    response = client.get(f"/api/v1/applications/{reference}/documents/{world.doc_id}", headers=bearer(world.token_a))
    assert response.status_code == 200
    assert response.data == b"%PDF-1.4\n%\xe2\xe3"
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Repr-Digest"].startswith("sha-256=:")
    # a document of another application of the same office is not served under this one
    is_problem(client.get(f"/api/v1/applications/{reference}/documents/{world.other_doc_id}",
                          headers=bearer(world.token_a)), 404)
    is_problem(client.get(f"/api/v1/applications/{reference}/documents/999999", headers=bearer(world.token_a)), 404)


# -- acknowledging receipt --------------------------------------------------------------------------------------

def test_acknowledge_is_idempotent_and_removes_from_new(client, world):
    reference = world.nord[0].reference
    url = f"/api/v1/applications/{reference}/acknowledge"
    first = client.post(url, headers=bearer(world.token_a))
    assert first.status_code == 200
    conforms(first.get_json(), "Acknowledgement")
    assert first.get_json()["newly_acknowledged"] is True
    again = client.post(url, headers=bearer(world.token_a))
    assert again.status_code == 200 and again.get_json()["newly_acknowledged"] is False
    assert again.get_json()["acknowledged_at"] == first.get_json()["acknowledged_at"]
    listed = client.get("/api/v1/applications", headers=bearer(world.token_a)).get_json()
    assert reference not in [item["reference"] for item in listed["items"]]
    fetched = client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_a)).get_json()
    assert fetched["acknowledged_at"] == first.get_json()["acknowledged_at"]


def test_read_only_token_may_not_write(client, world):
    reference = world.nord[0].reference
    assert client.get(f"/api/v1/applications/{reference}", headers=bearer(world.read_a)).status_code == 200
    is_problem(client.post(f"/api/v1/applications/{reference}/acknowledge", headers=bearer(world.read_a)),
               403, "insufficient_scope")
    is_problem(client.post(f"/api/v1/applications/{reference}/events", headers=bearer(world.read_a),
                           json={"status": "in_bearbeitung", "lock_version": 0}), 403, "insufficient_scope")
    assert world.application(reference).acknowledged_at is None
    assert world.application(reference).status == "eingegangen"


# -- status events ----------------------------------------------------------------------------------------------

def test_status_event_moves_the_case_with_locking(app, client, world):
    reference = world.nord[0].reference
    url = f"/api/v1/applications/{reference}/events"
    version = client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_a)).get_json()["lock_version"]
    response = client.post(url, headers=bearer(world.token_a),
                           json={"status": "in_bearbeitung", "comment": "Übernommen ins Fachverfahren",
                                 "lock_version": version})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    conforms(body, "StatusEventResult")
    assert body["status"] == "in_bearbeitung" and body["lock_version"] == version + 1
    assert body["event"]["from_status"] == "eingegangen" and body["event"]["actor"].startswith("api:")
    assert response.headers["ETag"] == f'"{version + 1}"'
    with app.extensions["formwerk.storage"].reader() as db:
        events = db.scalars(select(CaseEvent).where(CaseEvent.application_id == world.nord[0].id)
                            .order_by(CaseEvent.id)).all()
    assert events[-1].to_status == "in_bearbeitung" and events[-1].comment == "Übernommen ins Fachverfahren"
    # the same stale version again: conflict, nothing changes
    stale = client.post(url, headers=bearer(world.token_a), json={"status": "entscheidungsreif", "lock_version": version})
    is_problem(stale, 409, "case_conflict")
    assert world.application(reference).status == "in_bearbeitung"
    # If-Match instead of the field
    moved = client.post(url, headers={**bearer(world.token_a), "If-Match": f'"{version + 1}"'},
                        json={"status": "entscheidungsreif"})
    assert moved.status_code == 201 and moved.get_json()["status"] == "entscheidungsreif"
    assert world.application(reference).lock_version == version + 2


def test_moves_the_workflow_does_not_allow_staff_are_409(client, world):
    reference = world.nord[0].reference
    url = f"/api/v1/applications/{reference}/events"
    # "entschieden" needs a recorded decision, "zurueckgenommen" is the applicant's
    for status in ("entschieden", "zurueckgenommen", "abgeschlossen"):
        body = is_problem(client.post(url, headers=bearer(world.token_a), json={"status": status, "lock_version": 0}),
                          409, "case_transition_not_allowed")
        assert "in_bearbeitung" in body["detail"]
    assert world.application(reference).status == "eingegangen"
    assert world.application(reference).lock_version == 0


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "bad_json"),
    (b'{"status": NaN, "lock_version": 0}', 400, "bad_json"),
    (b"\xff\xfe", 400, "bad_json"),
    (b"[1, 2]", 422, "invalid_body"),
    (b'"in_bearbeitung"', 422, "invalid_body"),
    (b'{"status": 5, "lock_version": 0}', 422, "invalid_body"),
    (b'{"status": "irgendwas", "lock_version": 0}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung", "lock_version": "0"}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung", "lock_version": true}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung", "lock_version": 99999999999999999999}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung", "lock_version": 0, "extra": 1}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung", "lock_version": 0, "comment": "a\\u0000b"}', 422, "invalid_body"),
    (b'{"lock_version": 0}', 422, "invalid_body"),
    (b'{"status": "in_bearbeitung"}', 428, "lock_version_required"),
    (b"[" * 100000 + b"]" * 100000, 413, None),
])
def test_bad_bodies_are_clear_4xx(client, world, body, status, code):
    response = client.post(f"/api/v1/applications/{world.nord[0].reference}/events", data=body,
                           headers={**bearer(world.token_a), "Content-Type": "application/json"})
    problem = is_problem(response, status, code)
    if status == 422:
        assert problem["errors"] and all("pointer" in e for e in problem["errors"])
    assert world.application(world.nord[0].reference).status == "eingegangen"


def test_deeply_nested_json_is_400_not_500(client, world):
    body = b"[" * 5000 + b"]" * 5000
    is_problem(client.post(f"/api/v1/applications/{world.nord[0].reference}/events", data=body,
                           headers={**bearer(world.token_a), "Content-Type": "application/json"}), 400, "bad_json")


def test_wrong_media_type_and_if_match(client, world):
    url = f"/api/v1/applications/{world.nord[0].reference}/events"
    is_problem(client.post(url, headers=bearer(world.token_a), data={"status": "in_bearbeitung"}), 415)
    is_problem(client.post(url, headers={**bearer(world.token_a), "If-Match": "yesterday"},
                           json={"status": "in_bearbeitung"}), 400, "bad_if_match")
    is_problem(client.post(url, headers={**bearer(world.token_a), "If-Match": '"1"'},
                           json={"status": "in_bearbeitung", "lock_version": 0}), 400, "lock_version_mismatch")


def test_routing_errors_are_problem_details(client, world):
    is_problem(client.get("/api/v1/nothing-here", headers=bearer(world.token_a)), 404)
    is_problem(client.get("/api/v1/nothing-here"), 404)
    response = client.get(f"/api/v1/applications/{world.nord[0].reference}/acknowledge", headers=bearer(world.token_a))
    is_problem(response, 405)
    assert "POST" in response.headers["Allow"]
    assert "Content-Security-Policy" in response.headers


# -- audit and rate limits --------------------------------------------------------------------------------------

def test_every_call_is_audited_with_the_token_as_actor(client, world, offices):
    before = len(world.audit())
    reference = world.nord[0].reference
    client.get("/api/v1/applications", headers=bearer(world.token_a))
    client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_a))
    client.get(f"/api/v1/applications/{reference}/documents/{world.doc_id}", headers=bearer(world.token_a))
    client.post(f"/api/v1/applications/{reference}/acknowledge", headers=bearer(world.token_a))
    client.post(f"/api/v1/applications/{reference}/events", headers=bearer(world.token_a),
                json={"status": "in_bearbeitung", "lock_version": 0})
    client.post(f"/api/v1/applications/{reference}/events", headers=bearer(world.token_a),
                json={"status": "in_bearbeitung", "lock_version": 0})  # stale now
    client.get(f"/api/v1/applications/{reference}", headers=bearer(world.token_b))  # other office
    events = world.audit()[before:]
    actions = [e.action for e in events]
    assert actions == ["api.list", "case.view", "document.download", "api.acknowledge", "status.change",
                       "api.status.refused", "api.call"]
    assert all(e.actor.startswith("api:") for e in events)
    assert {e.office_id for e in events[:-1]} == {offices.office["nord"]}
    assert events[-1].office_id == offices.office["sued"]
    assert json.loads(events[-1].detail)["status"] == 404
    assert events[1].reference == reference


def test_rate_limit_per_token(tmp_path):
    app = make_app(tmp_path, RATE_LIMITS={"api": (3, 60)}, RATE_LIMIT_FACTOR=1)
    try:
        made = create_offices(app)
        client = app.test_client()
        token_a = make_token(app, made.office["nord"])
        token_b = make_token(app, made.office["sued"])
        for _ in range(3):
            assert client.get("/api/v1/applications", headers=bearer(token_a)).status_code == 200
        response = client.get("/api/v1/applications", headers=bearer(token_a))
        is_problem(response, 429, "rate_limited")
        assert int(response.headers["Retry-After"]) >= 1
        # another token has its own budget
        assert client.get("/api/v1/applications", headers=bearer(token_b)).status_code == 200
    finally:
        app.extensions["formwerk.storage"].engine.dispose()
