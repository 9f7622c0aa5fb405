"""``/api/v1``: the JSON API for the office's own software (Fachverfahren).

- Authenticated only by bearer tokens (``Authorization: Bearer fwk_…``) that
  an admin created for the office; the database holds only their SHA-256.
  No cookie, session or CSRF token plays any part (the blueprint is exempt
  from CSRF protection because a browser cannot send the header by itself).
- ``g.api_token`` makes :func:`webapp.office.access.scope` restrict every
  query to the token's office; an application of another office is 404.
- Scopes: "read" lists and fetches; "write" is needed for every POST.
- Every authenticated call is written to the audit log, in the transaction
  of the change where there is one.
- Errors are RFC 9457 problem details, never HTML, whatever raised them
  (routing, body limits and rate limits included).
- Calls are rate-limited per token with :func:`webapp.ratelimit.hit`
  (``RATE_LIMITS["api"]``, default 600 calls a minute, times
  ``RATE_LIMIT_FACTOR``).

The OpenAPI 3.1 description lives in :mod:`webapp.office.api_spec`."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import secrets
from datetime import datetime, timedelta, timezone

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, send_file, url_for
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import select, update
from werkzeug.exceptions import HTTPException

from .. import csrf, ratelimit
from ..accounts import audit
from ..accounts.models import ApiToken
from ..storage import Application, Document, FormVersion, utcnow
from . import access, api_spec, workflow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PREFIX = "/api/v1"
TOKEN_PREFIX = "fwk_"
#: the largest JSON body the API reads
MAX_BODY = 16 * 1024
#: last_used_at is written at most this often per token
TOUCH_EVERY = timedelta(minutes=1)
DEFAULT_RATE = (600, 60)
SCOPES = ("read", "read write")

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
          428: "Precondition Required", 429: "Too Many Requests", 500: "Internal Server Error"}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_body",
         428: "precondition_required", 429: "rate_limited", 500: "server_error"}
#: response headers an error keeps when it is turned into problem details
KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiError(Exception):
    """An error answered as problem details."""

    def __init__(self, status: int, code: str, detail: str, *, errors: list | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors, self.headers = status, code, detail, errors, headers or {}


def problem(status: int, code: str, detail: str, *, errors: list | None = None,
            headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "code": code,
            "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# -- tokens ---------------------------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash; only the hash is stored, the token shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_hash(token)


def _storage():
    return current_app.extensions["formwerk.storage"]


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise ApiError(401, "token_missing", "Send an API token: Authorization: Bearer <token>.",
                       headers={"WWW-Authenticate": 'Bearer realm="formwerk"'})
    if len(value) > 200 or not value.isascii():
        value = ""
    return value


@bp.before_request
def authenticate():
    """Resolve the bearer token (every endpoint but the description)."""
    request.max_content_length = MAX_BODY
    if request.endpoint == "api.openapi":
        return None
    token = _bearer()
    now = utcnow()
    with _storage().session() as db:
        row = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token))) if token else None
        if row is None or row.revoked_at is not None:
            raise ApiError(401, "token_invalid", "The API token is unknown or has been revoked.",
                           headers={"WWW-Authenticate": 'Bearer realm="formwerk", error="invalid_token"'})
        last = row.last_used_at
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=timezone.utc)
        if last is None or now - last >= TOUCH_EVERY:
            db.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now)
                       .execution_options(synchronize_session=False))
    g.api_token = row
    _rate_limit(row)
    return None


def _rate_limit(token: ApiToken) -> None:
    factor = current_app.config.get("RATE_LIMIT_FACTOR", 1)
    if not factor:
        return
    limit, per_seconds = (current_app.config.get("RATE_LIMITS") or {}).get("api", DEFAULT_RATE)
    decision = ratelimit.hit("api", max(1, int(limit * factor)), per_seconds, client=f"api-token:{token.id}")
    if not decision.allowed:
        raise ApiError(429, "rate_limited", f"Too many calls with this token; retry in {decision.retry_after} s.",
                       headers={"Retry-After": str(decision.retry_after)})


def _require_write() -> None:
    if "write" not in g.api_token.scopes.split():
        raise ApiError(403, "insufficient_scope", "This call needs a token with the \"write\" scope.",
                       headers={"WWW-Authenticate": 'Bearer realm="formwerk", error="insufficient_scope", '
                                                    'scope="write"'})


def _audited() -> None:
    g.api_audited = True


# -- representation -------------------------------------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _amount(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _summary(application: Application, form: FormVersion) -> dict:
    return {
        "id": application.id,
        "reference": application.reference,
        "form": {"slug": form.slug, "version": form.version},
        "submitted_at": _iso(application.submitted_at),
        "status": application.status,
        "applicant_name": application.applicant_name or "",
        "postcode": application.postcode,
        "household_size": application.household_size,
        "estimate": _amount(application.estimate),
        "complete": bool(application.complete),
        "confirmed_warnings": application.confirmed_warnings or 0,
        "missing_documents": application.missing_documents or 0,
        "url": url_for("api.application", reference=application.reference),
    }


def _computed(application: Application) -> dict:
    """The computed values (the estimate and its lines, ages, …) of the
    answers, computed as of the day of submission on the form version used."""
    cache = current_app.extensions.setdefault("formwerk.api_forms", {})
    published = cache.get(application.form_version_id)
    if published is None:
        published = current_app.extensions["formwerk.catalog"].version(application.form_version_id)
        cache[application.form_version_id] = published
    submitted = application.submitted_at
    outcome = published.form.check(json.loads(application.answers), lang="de",
                                   as_of=submitted.date() if submitted else None,
                                   confirmations=json.loads(application.confirmations))
    return outcome.to_json()["computed"]


def _document(application: Application, document: Document) -> dict:
    return {"id": document.id, "requirement": document.requirement, "filename": document.filename,
            "content_type": document.content_type, "size": document.size, "sha256": document.sha256,
            "uploaded_at": _iso(document.uploaded_at), "request_id": document.request_id,
            "url": url_for("api.document", reference=application.reference, document_id=document.id)}


# -- endpoints ------------------------------------------------------------------------------------------------------

@bp.get("/openapi.json")
def openapi():
    return jsonify(api_spec.spec())


def _query_int(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw) or not low <= int(raw) <= high:
        raise ApiError(400, f"bad_{name}", f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


@bp.get("/applications")
def applications():
    limit = _query_int("limit", api_spec.DEFAULT_LIMIT, 1, api_spec.MAX_LIMIT)
    after = _query_int("cursor", 0, 0, 10 ** 18 - 1)
    with _storage().session() as db:
        query = (select(Application, FormVersion).join(FormVersion, FormVersion.id == Application.form_version_id)
                 .where(Application.acknowledged_at.is_(None), Application.id > after)
                 .order_by(Application.id).limit(limit + 1))
        rows = db.execute(access.scope(query)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = [_summary(application, form) for application, form in rows]
        audit.record(db, "api.list", office_id=g.api_token.office_id,
                     detail={"cursor": after, "limit": limit, "count": len(items)})
    _audited()
    return jsonify({"items": items, "next_cursor": str(rows[-1][0].id) if more else None})


@bp.get("/applications/<reference>")
def application(reference: str):
    with _storage().session() as db:
        row = access.case_or_404(db, reference, action="case.view", detail={"via": "api"})
        form = db.get(FormVersion, row.form_version_id)
        documents = db.scalars(select(Document).where(Document.application_id == row.id)
                               .order_by(Document.id)).all()
    _audited()
    body = {
        **_summary(row, form),
        "lock_version": row.lock_version,
        "acknowledged_at": _iso(row.acknowledged_at),
        "answers": json.loads(row.answers),
        "findings": json.loads(row.findings),
        "confirmations": json.loads(row.confirmations),
        "computed": _computed(row),
        "documents": [_document(row, d) for d in documents],
    }
    del body["url"]
    response = jsonify(body)
    response.set_etag(str(row.lock_version))
    return response


@bp.get("/applications/<reference>/documents/<int:document_id>")
def document(reference: str, document_id: int):
    with _storage().session() as db:
        row = access.case_or_404(db, reference, action=None)
        file = db.scalar(select(Document).where(Document.id == document_id, Document.application_id == row.id))
        if file is None:
            raise ApiError(404, "not_found", "The application has no such document.")
        audit.record(db, "document.download", reference=row.reference, office_id=row.office_id,
                     detail={"document": file.id, "filename": file.filename, "via": "api"})
    _audited()
    response = send_file(io.BytesIO(file.content), mimetype=file.content_type or "application/octet-stream",
                         as_attachment=True, download_name=file.filename or f"dokument-{file.id}",
                         conditional=False, etag=False, max_age=0)
    response.headers["Repr-Digest"] = "sha-256=:" + base64.b64encode(bytes.fromhex(file.sha256)).decode() + ":"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/applications/<reference>/acknowledge")
def acknowledge(reference: str):
    _require_write()
    now = utcnow()
    with _storage().session() as db:
        row = access.case_or_404(db, reference, action=None)
        result = db.execute(update(Application)
                            .where(Application.id == row.id, Application.acknowledged_at.is_(None))
                            .values(acknowledged_at=now).execution_options(synchronize_session=False))
        newly = result.rowcount == 1
        acknowledged_at = now if newly else db.scalar(select(Application.acknowledged_at)
                                                      .where(Application.id == row.id))
        audit.record(db, "api.acknowledge", reference=row.reference, office_id=row.office_id,
                     detail={"newly": newly})
    _audited()
    return jsonify({"reference": row.reference, "acknowledged_at": _iso(acknowledged_at),
                    "newly_acknowledged": newly})


_EVENT_VALIDATOR = Draft202012Validator(api_spec.schema("StatusEventRequest"), format_checker=FormatChecker())


def _json_body() -> dict:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "body_too_large", f"The body may have at most {MAX_BODY} bytes.")
    raw = request.get_data(cache=True)  # bounded by max_content_length (413)
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "bad_json", "The body is not valid JSON (UTF-8).") from None
    errors = [{"pointer": "/" + "/".join(str(p) for p in error.absolute_path), "message": error.message}
              for error in _EVENT_VALIDATOR.iter_errors(body)]
    if errors:
        raise ApiError(422, "invalid_body", "The body does not match StatusEventRequest.", errors=errors[:20])
    return body


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _expected_version(body: dict) -> int:
    field = body.get("lock_version")
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None:
        match = re.fullmatch(r'\s*(?:W/)?"?([0-9]{1,9})"?\s*', header)
        if match is None:
            raise ApiError(400, "bad_if_match", "If-Match must be the ETag of the application, e.g. \"3\".")
        from_header = int(match.group(1))
    if field is not None and from_header is not None and field != from_header:
        raise ApiError(400, "lock_version_mismatch", "lock_version and If-Match name different versions.")
    expected = field if field is not None else from_header
    if expected is None:
        raise ApiError(428, "lock_version_required",
                       "Send the lock_version last read (field lock_version or header If-Match).")
    return expected


@bp.post("/applications/<reference>/events")
def events(reference: str):
    _require_write()
    body = _json_body()
    expected = _expected_version(body)
    refused = None
    with _storage().session() as db:
        row = access.case_or_404(db, reference, action=None)
        try:
            moved = workflow.transition(db, row, body["status"], by="staff", actor=access.actor_text(),
                                        expected_version=expected, comment=body.get("comment", ""))
        except workflow.WorkflowError as exc:
            refused = exc
            audit.record(db, "api.status.refused", reference=row.reference, office_id=row.office_id,
                         detail={"to": body["status"], "reason": exc.code, "expected_version": expected})
        else:
            db.flush()
            event = moved.event
    _audited()
    if isinstance(refused, workflow.Conflict):
        raise ApiError(409, "case_conflict", "The application changed since lock_version "
                                             f"{expected}; fetch it again and decide anew.")
    if refused is not None:
        raise ApiError(409, refused.code, f"The workflow does not allow moving from {row.status!r} to "
                                          f"{body['status']!r}; allowed now: "
                                          f"{', '.join(workflow.allowed(row.status, 'staff')) or 'none'}.")
    response = jsonify({"reference": row.reference, "status": row.status, "lock_version": moved.lock_version,
                        "event": {"id": event.id, "at": _iso(event.at), "actor": event.actor,
                                  "from_status": event.from_status, "to_status": event.to_status,
                                  "comment": event.comment}})
    response.status_code = 201
    response.set_etag(str(moved.lock_version))
    return response


# -- errors: always problem details ---------------------------------------------------------------------------------

@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return problem(exc.status, exc.code, exc.detail, errors=exc.errors, headers=exc.headers)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    status = exc.code or 500
    headers = {name: value for name, value in exc.get_headers() if name in KEEP_HEADERS}
    return problem(status, CODES.get(status, "error"), exc.description or TITLES.get(status, "Error"),
                   headers=headers)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    current_app.logger.exception("API error", exc_info=exc)
    return problem(500, "server_error", "Something went wrong on our side; the call changed nothing.")


def _in_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _finish(response: Response) -> Response:
    """For every request under /api/v1: an error answered elsewhere (routing,
    body limits, CSRF, the app's error pages) becomes problem details, and an
    authenticated call nobody audited yet is audited now."""
    if not _in_api():
        return response
    if response.status_code >= 400 and response.mimetype != "application/problem+json":
        # changed in place: the headers other hooks set (CSP, no-store, Retry-After, Allow) stay
        status = response.status_code
        body = problem(status, CODES.get(status, "error"), TITLES.get(status, "Error")).get_data()
        response.direct_passthrough = False
        response.set_data(body)
        response.mimetype = "application/problem+json"
    token = g.get("api_token")
    if token is not None and not g.get("api_audited"):
        try:
            with _storage().session() as db:
                audit.record(db, "api.call", office_id=token.office_id,
                             detail={"method": request.method, "path": request.path[:200],
                                     "status": response.status_code})
        except Exception as exc:  # the answer still goes out; the failure is logged
            current_app.logger.exception("API audit failed", exc_info=exc)
        g.api_audited = True
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_finish)
