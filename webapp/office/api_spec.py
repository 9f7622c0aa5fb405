"""The OpenAPI 3.1 description of ``/api/v1``, kept next to the code that
serves it (webapp/office/api.py) and served at ``/api/v1/openapi.json``.

The component schemas are plain JSON Schema 2020-12 (OpenAPI 3.1's dialect):
the API validates request bodies against them, and the tests validate real
responses against them, so the description cannot drift from the code."""

from __future__ import annotations

from copy import deepcopy

from .workflow import STATES

#: The longest status comment the API accepts (the case event keeps 4000 characters).
MAX_COMMENT = 4000
#: Pagination bounds of the list of new applications.
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

_TIMESTAMP = {"type": "string", "format": "date-time"}
_NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
_REFERENCE = {"type": "string", "minLength": 1, "maxLength": 32, "examples": ["FW-20261125-1A2B3C4D"]}
_AMOUNT = {"type": ["string", "null"], "pattern": r"^-?[0-9]+\.[0-9]{2}$",
           "description": "Euro amount as an exact decimal string, e.g. \"563.00\"."}


def _problem_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


_ERRORS = {
    "400": _problem_response("The request is malformed (bad JSON, a bad query parameter)."),
    "401": {**_problem_response("No valid bearer token (missing, unknown or revoked)."),
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}},
    "403": _problem_response("The token lacks the scope this call needs (\"write\")."),
    "404": _problem_response("No such application or document for this token's office."),
    "429": {**_problem_response("Too many calls with this token; retry after the given seconds."),
            "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
}

_REFERENCE_PARAMETER = {"name": "reference", "in": "path", "required": True, "schema": _REFERENCE,
                        "description": "The application's reference (Aktenzeichen of the submission)."}

SCHEMAS: dict = {
    "Problem": {
        "type": "object",
        "description": "An error (RFC 9457 problem details). ``code`` is stable and machine-readable.",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "description": "For 422: each problem of the request body.",
                "items": {"type": "object", "required": ["pointer", "message"],
                          "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}},
                          "additionalProperties": False},
            },
        },
        "additionalProperties": False,
    },
    "FormRef": {
        "type": "object",
        "required": ["slug", "version"],
        "properties": {"slug": {"type": "string"}, "version": {"type": "string"}},
        "additionalProperties": False,
    },
    "Status": {"type": "string", "enum": list(STATES)},
    "ApplicationSummary": {
        "type": "object",
        "required": ["id", "reference", "form", "submitted_at", "status", "applicant_name", "postcode",
                     "household_size", "estimate", "complete", "confirmed_warnings", "missing_documents", "url"],
        "properties": {
            "id": {"type": "integer", "description": "Internal id; the list is ordered by it."},
            "reference": _REFERENCE,
            "form": {"$ref": "#/components/schemas/FormRef"},
            "submitted_at": _TIMESTAMP,
            "status": {"$ref": "#/components/schemas/Status"},
            "applicant_name": {"type": "string"},
            "postcode": {"type": ["string", "null"]},
            "household_size": {"type": ["integer", "null"]},
            "estimate": _AMOUNT,
            "complete": {"type": "boolean",
                         "description": "Arrived with every required document and no unconfirmed finding."},
            "confirmed_warnings": {"type": "integer", "minimum": 0},
            "missing_documents": {"type": "integer", "minimum": 0},
            "url": {"type": "string", "description": "Path of the application's full record in this API."},
        },
        "additionalProperties": False,
    },
    "ApplicationList": {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ApplicationSummary"}},
            "next_cursor": {"type": ["string", "null"],
                            "description": "Pass as ``cursor`` for the next page; null on the last page."},
        },
        "additionalProperties": False,
    },
    "Finding": {
        "type": "object",
        "description": "A finding of the checks at submission (an error or a warning, with its confirmation).",
        "required": ["path", "code", "message", "severity"],
        "properties": {
            "path": {"type": "string"},
            "code": {"type": "string"},
            "message": {"type": "string"},
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "rule": {"type": ["string", "null"]},
            "fields": {"type": "array", "items": {"type": "string"}},
            "confirmation": {"type": "string"},
            "confirmed": {"type": "boolean"},
        },
        "additionalProperties": True,
    },
    "Document": {
        "type": "object",
        "required": ["id", "requirement", "filename", "content_type", "size", "sha256", "uploaded_at",
                     "request_id", "url"],
        "properties": {
            "id": {"type": "integer"},
            "requirement": {"type": "string",
                            "description": "\"<document id>@<pointer>\" of the form's requirement, or of a request."},
            "filename": {"type": "string"},
            "content_type": {"type": "string"},
            "size": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "uploaded_at": _TIMESTAMP,
            "request_id": {"type": ["integer", "null"],
                           "description": "The document request this upload answered (null: sent with the application)."},
            "url": {"type": "string", "description": "Path of the download endpoint."},
        },
        "additionalProperties": False,
    },
    "Application": {
        "type": "object",
        "required": ["id", "reference", "form", "submitted_at", "status", "lock_version", "acknowledged_at",
                     "applicant_name", "postcode", "household_size", "estimate", "complete", "confirmed_warnings",
                     "missing_documents", "answers", "findings", "confirmations", "computed", "documents"],
        "properties": {
            "id": {"type": "integer"},
            "reference": _REFERENCE,
            "form": {"$ref": "#/components/schemas/FormRef"},
            "submitted_at": _TIMESTAMP,
            "status": {"$ref": "#/components/schemas/Status"},
            "lock_version": {"type": "integer", "minimum": 0,
                             "description": "Send it back (field or If-Match) with a status event."},
            "acknowledged_at": _NULLABLE_TIMESTAMP,
            "applicant_name": {"type": "string"},
            "postcode": {"type": ["string", "null"]},
            "household_size": {"type": ["integer", "null"]},
            "estimate": _AMOUNT,
            "complete": {"type": "boolean"},
            "confirmed_warnings": {"type": "integer", "minimum": 0},
            "missing_documents": {"type": "integer", "minimum": 0},
            "answers": {"type": "object", "description": "The pruned answers as submitted."},
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
            "confirmations": {"type": "array", "items": {"type": "string"},
                              "description": "Tokens of the warnings the applicant confirmed."},
            "computed": {"type": "object",
                         "description": "Computed values (e.g. the estimate) by JSON pointer, as of the submission date."},
            "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
        },
        "additionalProperties": False,
    },
    "Acknowledgement": {
        "type": "object",
        "required": ["reference", "acknowledged_at", "newly_acknowledged"],
        "properties": {
            "reference": _REFERENCE,
            "acknowledged_at": _TIMESTAMP,
            "newly_acknowledged": {"type": "boolean",
                                   "description": "False when the receipt had been acknowledged before."},
        },
        "additionalProperties": False,
    },
    "StatusEventRequest": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"$ref": "#/components/schemas/Status"},
            "comment": {"type": "string", "maxLength": MAX_COMMENT, "pattern": "^[^\\u0000]*$",
                        "description": "Recorded with the status event (no NUL characters)."},
            "lock_version": {"type": "integer", "minimum": 0, "maximum": 999999999,
                             "description": "The application's lock_version as last read (or send If-Match)."},
        },
        "additionalProperties": False,
    },
    "StatusEvent": {
        "type": "object",
        "required": ["id", "at", "actor", "from_status", "to_status", "comment"],
        "properties": {
            "id": {"type": "integer"},
            "at": _TIMESTAMP,
            "actor": {"type": "string"},
            "from_status": {"oneOf": [{"$ref": "#/components/schemas/Status"}, {"type": "null"}]},
            "to_status": {"$ref": "#/components/schemas/Status"},
            "comment": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "StatusEventResult": {
        "type": "object",
        "required": ["reference", "status", "lock_version", "event"],
        "properties": {
            "reference": _REFERENCE,
            "status": {"$ref": "#/components/schemas/Status"},
            "lock_version": {"type": "integer", "minimum": 0},
            "event": {"$ref": "#/components/schemas/StatusEvent"},
        },
        "additionalProperties": False,
    },
}


def _json(schema_name: str, description: str, headers: dict | None = None) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}
    if headers:
        response["headers"] = headers
    return response


_ETAG = {"ETag": {"schema": {"type": "string"}, "description": "The lock_version as a strong entity tag, e.g. \"3\"."}}

PATHS: dict = {
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This description",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI 3.1 description of this API.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        },
    },
    "/applications": {
        "get": {
            "operationId": "listNewApplications",
            "summary": "New applications (not yet acknowledged), oldest first",
            "description": "Cursor pagination by id: pass ``next_cursor`` of a page as ``cursor`` for the next.",
            "parameters": [
                {"name": "cursor", "in": "query", "required": False,
                 "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"},
                 "description": "``next_cursor`` of the previous page."},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
            ],
            "responses": {"200": _json("ApplicationList", "A page of new applications."),
                          **{k: _ERRORS[k] for k in ("400", "401", "429")}},
        },
    },
    "/applications/{reference}": {
        "parameters": [_REFERENCE_PARAMETER],
        "get": {
            "operationId": "getApplication",
            "summary": "One application with its answers, findings, computed values and documents",
            "responses": {"200": _json("Application", "The application.", _ETAG),
                          **{k: _ERRORS[k] for k in ("401", "404", "429")}},
        },
    },
    "/applications/{reference}/documents/{document_id}": {
        "parameters": [_REFERENCE_PARAMETER,
                       {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "get": {
            "operationId": "downloadDocument",
            "summary": "Download one of the application's documents",
            "responses": {
                "200": {"description": "The file as uploaded (its media type; attachment).",
                        "headers": {"Repr-Digest": {"schema": {"type": "string"},
                                                    "description": "sha-256 of the file (RFC 9530)."}},
                        "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                             "contentMediaType": "application/octet-stream"}}}},
                **{k: _ERRORS[k] for k in ("401", "404", "429")},
            },
        },
    },
    "/applications/{reference}/acknowledge": {
        "parameters": [_REFERENCE_PARAMETER],
        "post": {
            "operationId": "acknowledgeApplication",
            "summary": "Acknowledge receipt: the application is no longer listed as new (idempotent)",
            "description": "Needs the \"write\" scope. Acknowledging twice keeps the first time.",
            "responses": {"200": _json("Acknowledgement", "Receipt acknowledged."),
                          **{k: _ERRORS[k] for k in ("401", "403", "404", "429")}},
        },
    },
    "/applications/{reference}/events": {
        "parameters": [_REFERENCE_PARAMETER,
                       {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
                        "description": "The ETag of the application as last read (instead of lock_version)."}],
        "post": {
            "operationId": "postStatusEvent",
            "summary": "Move the application to another status (as staff would)",
            "description": ("Needs the \"write\" scope and the lock_version last read (field or If-Match): "
                            "when the application changed since, the call is refused with 409 and nothing "
                            "changes. Only the moves the workflow allows staff are accepted."),
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/StatusEventRequest"}}}},
            "responses": {
                "201": _json("StatusEventResult", "The status changed.", _ETAG),
                **{k: _ERRORS[k] for k in ("400", "401", "403", "404")},
                "409": _problem_response("The application changed since lock_version (code case_conflict), "
                                         "or the workflow does not allow this move now "
                                         "(code case_transition_not_allowed)."),
                "413": _problem_response("The body is too large."),
                "415": _problem_response("The body is not application/json."),
                "422": _problem_response("The body does not match StatusEventRequest."),
                "428": _problem_response("Neither lock_version nor If-Match was sent."),
                "429": _ERRORS["429"],
            },
        },
    },
}

SPEC: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "formwerk office API",
        "version": "1.0.0",
        "summary": "For the office's own software (Fachverfahren): new applications, documents, receipts, status.",
        "description": ("Every call needs a bearer token that an admin of the office created "
                        "(Verwaltung → API-Zugänge). A token sees only its own office's applications; "
                        "anything else answers 404. Tokens have the scope \"read\" or \"read write\". "
                        "Every call is written to the office's audit log. Errors are RFC 9457 problem "
                        "details (application/problem+json)."),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An API token: Authorization: Bearer fwk_…"}},
    },
}


def spec() -> dict:
    """A copy of the description (callers may not change the module's)."""
    return deepcopy(SPEC)


def schema(name: str) -> dict:
    """A self-contained JSON Schema for the component ``name`` (its $refs resolve)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/components/schemas/{name}",
            "components": {"schemas": deepcopy(SCHEMAS)}}
