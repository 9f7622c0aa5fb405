"""formwerk's engine: compile a form, decide relevance, prune, validate, explain.

Public API::

    from engine import load_form, check
    form = load_form("forms/terminanfrage")
    outcome = form.check(answers, lang="de")
    outcome.valid, outcome.relevant, outcome.pruned, outcome.errors

The web app and the ``formwerk`` CLI are clients of this API and never
recompute relevance themselves.
"""

from ._loading import FormSource, load_answers, load_form_source, parse_answers
from .errors import AnswersError, FormError, FormwerkError
from .form import CompiledForm, Section, compile_form
from .outcome import Issue, Outcome


def load_form(path) -> CompiledForm:
    """Read and compile a form file or folder (cached by content hash)."""
    return compile_form(load_form_source(path))


def check(form, answers: dict, **options) -> Outcome:
    """Check answers against a form (a CompiledForm, a path or a schema dict)."""
    if not isinstance(form, CompiledForm):
        form = compile_form(form)
    return form.check(answers, **options)


__all__ = [
    "AnswersError", "CompiledForm", "FormError", "FormSource", "FormwerkError", "Issue",
    "Outcome", "Section", "check", "compile_form", "load_answers", "load_form",
    "load_form_source", "parse_answers",
]
