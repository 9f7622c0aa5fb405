"""The Jobcenter's side: intake and routing of submitted applications, the
caseworkers' inbox and case file (eAkte), document requests, decisions to
the applicant's mailbox, export, and the API for the office's own software.

Built on the engine's public API and the shared storage; it never imports
the applicant wizard's views (the wizard announces submissions by signal)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import intake

    intake.init_app(app)
