"""The engine's own exceptions. Library errors never leave the engine raw."""


class FormwerkError(Exception):
    """Base class of every error the engine raises on purpose."""


class FormError(FormwerkError):
    """A form definition cannot be read, is not a schema, or cannot be compiled."""


class AnswersError(FormwerkError):
    """Answers cannot be read (missing file, invalid JSON, not an object)."""
