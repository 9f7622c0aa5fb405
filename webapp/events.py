"""Signals between the parts of the web app.

The applicant's wizard and the office never import each other's views: the
wizard announces what happened, and whoever cares (the office's intake)
subscribes. Receivers of :data:`application_submitted` run inside the
submission's database transaction, so routing and the application commit or
fail together."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``db`` (the open SQLAlchemy session), ``application`` (the new
#: :class:`webapp.storage.Application`, flushed), ``outcome`` (the engine's
#: check of the submitted answers) and ``published`` (the form version).
application_submitted = _signals.signal("application-submitted")
