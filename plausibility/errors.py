"""The plausibility package's own exceptions; CEL's errors never leave it raw."""


class ExpressionError(Exception):
    """An expression is unsafe (too long, too deep) or does not compile."""


class EvaluationError(Exception):
    """An expression failed while evaluating (type error, missing field, …)."""
