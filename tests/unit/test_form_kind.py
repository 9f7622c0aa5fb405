"""x-kind: a form says what it is (application, estimate, request); lint
checks it and the compiled form carries it for the web app."""

from pathlib import Path

import pytest

from engine import load_form
from engine._loading import FormSource
from engine.form import compile_form
from engine.lint import lint_source

FORMS = Path(__file__).resolve().parents[2] / "forms"
S = "https://json-schema.org/draft/2020-12/schema"


def lint(schema):
    return {(f.code, f.severity, f.path) for f in lint_source(FormSource(schema={"$schema": S, **schema},
                                                                         base_uri="inline:form"))}


PAGE = {"type": "object", "title": "Seite", "properties": {"a": {"type": "string", "title": "A"}}}


@pytest.mark.parametrize("folder,kind", [("buergergeld", "application"), ("buergergeld-rechner", "estimate"),
                                         ("terminanfrage", "request")])
def test_bundled_forms_declare_what_they_are(folder, kind):
    assert load_form(FORMS / folder).kind == kind


def test_kind_defaults_to_application():
    assert compile_form({"$schema": S, "type": "object", "properties": {"p": PAGE}}).kind == "application"


def test_lint_rejects_an_unknown_kind():
    found = lint({"type": "object", "x-kind": "quiz", "properties": {"p": PAGE}})
    assert any(code == "invalid-extension" and sev == "error" and path == "/x-kind" for code, sev, path in found)


def test_lint_accepts_the_three_kinds():
    for kind in ("application", "estimate", "request"):
        found = lint({"type": "object", "x-kind": kind, "properties": {"p": PAGE}})
        assert not [f for f in found if f[1] == "error"], (kind, found)


def test_lint_x_kind_only_at_the_root():
    found = lint({"type": "object", "properties": {"p": {**PAGE, "x-kind": "estimate"}}})
    assert ("root-only", "error", "/properties/p/x-kind") in found


def test_lint_an_estimate_asks_for_no_documents():
    page = {**PAGE, "x-documents": [{"id": "ausweis", "title": {"de": "Ausweis"}}]}
    found = lint({"type": "object", "x-kind": "estimate", "properties": {"p": page}})
    assert ("estimate-not-sent", "error", "/properties/p/x-documents") in found
