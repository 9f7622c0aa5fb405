"""Request limits and response headers on every request.

Before anything else (CSRF included) reads a body:

- a non-multipart body (every wizard post is urlencoded) is capped at
  ``MAX_FORM_BODY``; Werkzeug's own form limits apply to multipart only;
- a post with more than ``MAX_FORM_FIELDS`` fields is refused (413);
- NUL bytes and other C0 control characters in the path or query string,
  and NUL bytes in form keys or values, are refused (400): databases reject
  them (PostgreSQL) and no legitimate request has them.

On every response: a Content-Security-Policy without 'unsafe-inline' or
'unsafe-eval' (htmx is configured not to inject styles), no framing, no
sniffing, no referrer (resume links carry tokens), ``Cache-Control:
no-store`` on every page that is not a static asset (they show personal
data: answers, resume links, access codes), and HSTS when served over HTTPS.

Behind reverse proxies, ``PROXY_COUNT`` (``FORMWERK_PROXIES``) makes
Werkzeug's ProxyFix trust that many ``X-Forwarded-For``/``-Proto`` hops.

Links an applicant keeps (the resume link) are absolute only when their
origin can be trusted (:func:`public_origin`): ``PUBLIC_URL``
(``FORMWERK_PUBLIC_URL``); else the request's host when ``TRUSTED_HOSTS``
is set (Flask refuses every other ``Host`` with a 400); else, in development
and tests only, the request's host. A production server with neither gets a
relative link (the browser resolves it against the origin it really uses, so
a forged ``Host`` header cannot put another site into it) and a warning at
start-up.
"""

import logging
import re

from flask import Flask, abort, current_app, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _guard() -> None:
    from flask import current_app

    config = current_app.config
    if _CONTROL.search(request.path) or "\x00" in request.query_string.decode("latin-1"):
        abort(400)
    if any(_CONTROL.search(k) or _CONTROL.search(v) for k, v in request.args.items(multi=True)):
        abort(400)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype != "multipart/form-data":
        limit = config["MAX_FORM_BODY"]
        if request.content_length is not None and request.content_length > limit:
            abort(413)
        request.max_content_length = limit
    fields = 0
    for key, value in request.form.items(multi=True):
        fields += 1
        if fields > config["MAX_FORM_FIELDS"]:
            abort(413)
        if "\x00" in key or "\x00" in value:
            abort(400)


log = logging.getLogger("formwerk.security")


def public_origin() -> str | None:
    """The origin absolute links for applicants are built from, or None when
    no trusted one is configured (see the module's docstring)."""
    config = current_app.config
    public = config.get("PUBLIC_URL")
    if public:
        return public.rstrip("/")
    if config.get("TRUSTED_HOSTS") or current_app.debug or current_app.testing:
        return request.host_url.rstrip("/")
    return None


def external_url(endpoint: str, **values) -> str:
    """A link to keep: absolute from the trusted origin, else relative."""
    origin = public_origin()
    path = url_for(endpoint, **values)
    return origin + path if origin else path


def warn_without_public_url(app: Flask) -> None:
    """Say at start-up when links cannot be built from a configured origin."""
    if app.debug or app.testing:
        return
    public = app.config.get("PUBLIC_URL")
    if not public:
        log.warning("FORMWERK_PUBLIC_URL is not set: resume links are %s. Set FORMWERK_PUBLIC_URL to the address "
                    "applicants use, e.g. https://antrag.example.de (README, 'Operating it safely').",
                    "built from the request's host, which FORMWERK_TRUSTED_HOSTS limits" if app.config.get("TRUSTED_HOSTS")
                    else "shown as relative links, and links in e-mails cannot be built safely")
    elif not re.match(r"^https://[^/\s]+/?$", public):
        log.warning("FORMWERK_PUBLIC_URL=%r is not an https:// origin without a path; links for applicants are built "
                    "from it as it is.", public)


def init_app(app: Flask) -> None:
    warn_without_public_url(app)
    if app.config.get("PROXY_COUNT"):
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    # first of all before-request hooks: CSRF protection reads the body too
    app.before_request_funcs.setdefault(None, []).insert(0, _guard)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Pragma", "no-cache")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
