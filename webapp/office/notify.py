"""E-mail notification "Sie haben neue Post": tells the applicant that a
message waits in their online mailbox, never what it says (social data stay
behind the access code).

The SMTP server is configured by one URL, ``FORMWERK_SMTP_URL`` (app config,
else the environment):

- ``smtp://host:port`` plain SMTP (e.g. a relay on the same host),
- ``smtp://user:pass@host:587?starttls=1`` SMTP upgraded with STARTTLS,
- ``smtps://user:pass@host:465`` SMTP over TLS;
- ``?from=amt@example.org`` sets the sender (else ``FORMWERK_MAIL_FROM``).

No URL means no e-mail. A failing server never fails the request that
triggered the notification: the error is logged and :func:`send_new_post`
returns False."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, url_for

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
DEFAULT_SENDER = "no-reply@localhost"

SUBJECT = "Sie haben neue Post / You have new mail"
BODY = """Guten Tag,

in Ihrem Online-Postfach beim Jobcenter liegt eine neue Nachricht zu Ihrem Antrag.
Aus Gründen des Datenschutzes steht der Inhalt nicht in dieser E-Mail.
Sie lesen die Nachricht mit Ihrem Aktenzeichen und Ihrem Zugangscode hier:

{link}

Diese E-Mail wurde automatisch versandt. Bitte antworten Sie nicht darauf.

---

Hello,

there is a new message about your application in your online mailbox at the Jobcenter.
For data protection reasons this e-mail does not contain it. Read it with your
reference number and access code here:

{link}

This e-mail was sent automatically. Please do not reply.
"""


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


def mailbox_link() -> str:
    """Where the applicant signs in to the mailbox (built from PUBLIC_URL when set,
    never from a Host header)."""
    public = current_app.config.get("PUBLIC_URL")
    path = url_for("mailbox.lookup")
    return public.rstrip("/") + path if public else url_for("mailbox.lookup", _external=True)


def build_message(target: SmtpTarget, to: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = target.sender
    message["To"] = to
    message["Subject"] = SUBJECT
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=target.sender.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(BODY.format(link=link))
    return message


def send_new_post(to: str | None) -> bool:
    """Send "Sie haben neue Post" to ``to``. True when the server took it;
    False when no server is configured, there is no address, or sending failed
    (logged, never raised)."""
    url = configured_url()
    if not url or not to or "@" not in to or any(ch in to for ch in "\r\n,;"):
        return False
    try:
        target = parse_url(url, current_app.config.get("FORMWERK_MAIL_FROM") or DEFAULT_SENDER)
        message = build_message(target, to, mailbox_link())
        if target.tls == "implicit":
            server = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS)
        with server:
            if target.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if target.username:
                server.login(target.username, target.password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        log.warning("new-post notification not sent: %s", exc.__class__.__name__ + ": " + str(exc)[:200])
        return False
    return True
