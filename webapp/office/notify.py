"""E-mail notification "Sie haben neue Post": tells the applicant that a
message waits in their online mailbox, never what it says (social data stay
behind the access code).

It is sent through the installation's SMTP server (:mod:`webapp.mail`,
``FORMWERK_SMTP_URL``). No server means no e-mail; a failing server never
fails the request that triggered the notification: the error is logged and
:func:`send_new_post` returns False."""

from __future__ import annotations

from .. import security
from ..mail import configured_url, parse_url, send

__all__ = ["configured_url", "mailbox_link", "parse_url", "send_new_post"]  # the URL helpers for older callers

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


def mailbox_link() -> str:
    """Where the applicant signs in to the mailbox: from a trusted origin
    (``PUBLIC_URL``, or a host ``TRUSTED_HOSTS`` admits), never from a Host
    header alone; else relative."""
    return security.external_url("mailbox.lookup")


def send_new_post(to: str | None) -> bool:
    """Send "Sie haben neue Post" to ``to``. True when the server took it;
    False when no server is configured, there is no address, or sending failed
    (logged, never raised)."""
    return send(to, SUBJECT, BODY.format(link=mailbox_link()), what="new-post notification")
