"""E-mails about appointments, sent through the SMTP server of
``FORMWERK_SMTP_URL`` exactly as :mod:`webapp.office.notify` reads it (its
``parse_url`` and ``configured_url``). No URL or no address: no e-mail. A
failing server never fails the booking: the error is logged and the
sender returns False.

The e-mail holds what a calendar entry holds (date, time, kind, place or
video link, booking reference, the ``.ics`` attached), never the access
code, the applicant's concern or any social data."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from ..office import notify

log = logging.getLogger(__name__)


def valid_address(to: str | None) -> bool:
    return bool(to and "@" in to and not any(ch in to for ch in "\r\n,;") and len(to) <= 254)


def send(to: str | None, subject: str, body: str, ics: bytes | None = None) -> bool:
    """Send one e-mail; True when the server took it."""
    url = notify.configured_url()
    if not url or not valid_address(to):
        return False
    try:
        target = notify.parse_url(url, current_app.config.get("FORMWERK_MAIL_FROM") or notify.DEFAULT_SENDER)
        message = EmailMessage()
        message["From"] = target.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=target.sender.rpartition("@")[2] or "localhost")
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        if ics is not None:
            message.add_attachment(ics, maintype="text", subtype="calendar", filename="termin.ics",
                                   params={"method": "PUBLISH"})
        context = ssl.create_default_context()
        if target.tls == "implicit":
            server = smtplib.SMTP_SSL(target.host, target.port, timeout=notify.TIMEOUT_SECONDS, context=context)
        else:
            server = smtplib.SMTP(target.host, target.port, timeout=notify.TIMEOUT_SECONDS)
        with server:
            if target.tls == "starttls":
                server.starttls(context=context)
            if target.username:
                server.login(target.username, target.password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        log.warning("appointment e-mail not sent: %s", exc.__class__.__name__ + ": " + str(exc)[:200])
        return False
    return True
