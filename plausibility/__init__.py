"""Plausibility for formwerk: cross-field rules, computed values and document
conditions in CEL (Common Expression Language), and checks of German
identifiers. No web code. The engine compiles a form's expressions through
this package once and evaluates them per check.

Public API::

    from plausibility import compile_expression, Evaluator, identifiers
"""

import logging

# The CEL library logs every failing Python function ("Python function 'is_future'
# failed: ...") through the "cel" logger, which Python would print on stderr. The
# evaluator turns each failure into an EvaluationError, and the engine into its own
# finding (code "rule-error"), so the library's record is not needed anywhere.
_cel_log = logging.getLogger("cel")
_cel_log.addHandler(logging.NullHandler())
_cel_log.propagate = False

from . import identifiers  # noqa: E402 - after the logger is quiet
from .errors import EvaluationError, ExpressionError  # noqa: E402
from .expressions import compile_expression  # noqa: E402
from .functions import NAMES as FUNCTION_NAMES  # noqa: E402
from .rules import Computation, DocumentRequirement, Evaluator, Rule  # noqa: E402

__all__ = ["Computation", "DocumentRequirement", "EvaluationError", "Evaluator", "ExpressionError",
           "FUNCTION_NAMES", "Rule", "compile_expression", "identifiers"]
