"""Plausibility for formwerk: cross-field rules, computed values and document
conditions in CEL (Common Expression Language), and checks of German
identifiers. No web code. The engine compiles a form's expressions through
this package once and evaluates them per check.

Public API::

    from plausibility import compile_expression, Evaluator, identifiers
"""

from . import identifiers
from .errors import EvaluationError, ExpressionError
from .expressions import compile_expression
from .functions import NAMES as FUNCTION_NAMES
from .rules import Computation, DocumentRequirement, Evaluator, Rule

__all__ = ["Computation", "DocumentRequirement", "EvaluationError", "Evaluator", "ExpressionError",
           "FUNCTION_NAMES", "Rule", "compile_expression", "identifiers"]
