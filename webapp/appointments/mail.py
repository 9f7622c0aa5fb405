"""E-mails about appointments, sent through the installation's SMTP
server (:mod:`webapp.mail`, ``FORMWERK_SMTP_URL``). No server or no
address: no e-mail. A failing server never fails the booking: the error is
logged and the sender returns False.

The e-mail holds what a calendar entry holds (date, time, kind, place or
video link, booking reference, the ``.ics`` attached), never the access
code, the applicant's concern or any social data."""

from __future__ import annotations

from email.message import EmailMessage

from .. import mail
from ..mail import valid_address

__all__ = ["send", "valid_address"]


def send(to: str | None, subject: str, body: str, ics: bytes | None = None) -> bool:
    """Send one e-mail (with the ``.ics`` attached when given); True when the server took it."""
    def attach(message: EmailMessage) -> None:
        if ics is not None:
            message.add_attachment(ics, maintype="text", subtype="calendar", filename="termin.ics",
                                   params={"method": "PUBLISH"})

    return mail.send(to, subject, body, attach=attach, what="appointment e-mail")
