"""python-jsonschema as the reference validator.

The engine validates with jsonschema-rs for speed; this module builds the
same validation with python-jsonschema (the reference implementation), so that
tests can show both agree and benchmarks can compare against it. The schema
is read with ``parse_float=Decimal`` like the answers: mixing float schemas with
Decimal answers raises TypeError, and binary floats reject 1820.37 against
``multipleOf: 0.01``.

Known difference: for ``format: email`` python-jsonschema only asks for an
``@``; jsonschema-rs checks the address syntax (RFC 5321), which is what
applicants need. The differential tests keep to data where that does not
matter and test e-mail addresses on their own.
"""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from ._loading import FormSource


def _decimal(doc):
    return json.loads(json.dumps(doc), parse_float=Decimal)


def reference_validator(source: FormSource) -> jsonschema.Draft202012Validator:
    schema = _decimal(source.schema)
    resources = [(uri, DRAFT202012.create_resource(_decimal(doc))) for uri, doc in source.resources.items()]
    registry = referencing.Registry().with_resources(
        [(source.root_uri, DRAFT202012.create_resource(schema)), *resources])
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
