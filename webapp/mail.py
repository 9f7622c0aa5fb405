"""Sending e-mail through the one SMTP server of the installation, for
every part that e-mails (the office's "Sie haben neue Post", appointment
confirmations).

The server is configured by one URL, ``FORMWERK_SMTP_URL`` (app config,
else the environment):

- ``smtp://host:port`` plain SMTP (e.g. a relay on the same host),
- ``smtp://user:pass@host:587?starttls=1`` SMTP upgraded with STARTTLS,
- ``smtps://user:pass@host:465`` SMTP over TLS;
- ``?from=amt@example.org`` sets the sender (else ``FORMWERK_MAIL_FROM``).

No URL, or no usable address, means no e-mail. A failing server never
fails the request that wanted to send: the error is logged and
:func:`send` returns False."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
DEFAULT_SENDER = "no-reply@localhost"


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: str  # "none" | "starttls" | "implicit"
    username: str | None
    password: str | None
    sender: str


def parse_url(url: str, default_sender: str = DEFAULT_SENDER) -> SmtpTarget:
    """The SMTP server named by ``url``; ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("FORMWERK_SMTP_URL must look like smtp://host:port or smtps://user:pass@host")
    query = parse_qs(parts.query)
    if parts.scheme == "smtps":
        tls = "implicit"
    elif (query.get("starttls") or ["0"])[0].lower() in ("1", "true", "yes"):
        tls = "starttls"
    else:
        tls = "none"
    port = parts.port or (465 if tls == "implicit" else 587 if tls == "starttls" else 25)
    sender = (query.get("from") or [default_sender])[0]
    return SmtpTarget(host=parts.hostname, port=port, tls=tls,
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None, sender=sender)


def configured_url() -> str | None:
    return current_app.config.get("FORMWERK_SMTP_URL") or os.environ.get("FORMWERK_SMTP_URL") or None


def valid_address(to: str | None) -> bool:
    """One plain address (no header injection, no list of recipients)."""
    return bool(to and "@" in to and not any(ch in to for ch in "\r\n,;") and len(to) <= 254)


def new_message(target: SmtpTarget, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text, automatically generated e-mail from the configured sender."""
    message = EmailMessage()
    message["From"] = target.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=target.sender.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send(to: str | None, subject: str, body: str, *, attach: Callable[[EmailMessage], None] | None = None,
         what: str = "e-mail") -> bool:
    """Send one e-mail to ``to`` (``attach`` may add attachments). True when
    the server took it; False when no server is configured, the address is
    not usable, or sending failed (logged as ``what``, never raised)."""
    url = configured_url()
    if not url or not valid_address(to):
        return False
    try:
        target = parse_url(url, current_app.config.get("FORMWERK_MAIL_FROM") or DEFAULT_SENDER)
        message = new_message(target, to, subject, body)
        if attach is not None:
            attach(message)
        context = ssl.create_default_context()
        if target.tls == "implicit":
            server = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            server = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS)
        with server:
            if target.tls == "starttls":
                server.starttls(context=context)
            if target.username:
                server.login(target.username, target.password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        log.warning("%s not sent: %s", what, exc.__class__.__name__ + ": " + str(exc)[:200])
        return False
    return True
