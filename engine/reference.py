"""python-jsonschema as the reference validator.

The engine validates with jsonschema-rs for speed; this module builds the
same validation with python-jsonschema (the reference implementation), so that
tests can show both agree and benchmarks can compare against it. The schema
is read with exact decimals like the answers (:func:`exact_numbers`), and
``pattern`` is ECMA-262 as in the engine: mixing float schemas with
Decimal answers raises TypeError, and binary floats reject 1820.37 against
``multipleOf: 0.01``.

Known difference: for ``format: email`` python-jsonschema only asks for an
``@``; jsonschema-rs checks the address syntax (RFC 5321), which is what
applicants need. The differential tests keep to data where that does not
matter and test e-mail addresses on their own.
"""

from __future__ import annotations

import jsonschema
import jsonschema_specifications
from jsonschema import validators
from referencing.jsonschema import DRAFT202012

from . import _regex
from ._loading import FormSource, exact_numbers


def _ecma_pattern(validator, pattern, instance, schema):
    """``pattern`` as ECMA-262 (regress), like the engine, instead of Python's re."""
    if validator.is_type(instance, "string") and not _regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _formats() -> jsonschema.FormatChecker:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    checker = jsonschema.FormatChecker(list(checker.checkers))
    checker.checks("regex")(_regex.is_pattern)
    return checker


ReferenceValidator = validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})


def reference_validator(source: FormSource) -> jsonschema.Draft202012Validator:
    schema = exact_numbers(source.schema)
    resources = [(uri, DRAFT202012.create_resource(exact_numbers(doc))) for uri, doc in source.resources.items()]
    registry = jsonschema_specifications.REGISTRY.with_resources(
        [(source.root_uri, DRAFT202012.create_resource(schema)), *resources])
    return ReferenceValidator(schema, registry=registry, format_checker=_formats())
