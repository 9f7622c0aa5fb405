"""Error pages in the applicant's language: never a bare 500 or a traceback.

When the request cannot even be routed (a malformed ``Host`` header leaves
no URL adapter, so templates cannot build links), or rendering the page
fails, a minimal static page is sent instead, still through the app's
after-request hooks (security headers, no-store)."""

from html import escape

from flask import Flask, Response, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import texts  # noqa: F401  (registers the texts used below)
from .i18n import TEXTS

FALLBACK = ("<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            "<body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">{back}</a></p></main></body></html>")


def _fallback(status: int, title: str, text: str) -> Response:
    body = FALLBACK.format(title=escape(TEXTS[title]), text=escape(TEXTS[text]),
                           back=escape(TEXTS["back_to_start"]))
    return Response(body, status=status, mimetype="text/html")


def init_app(app: Flask) -> None:
    def page(status: int, title: str, text: str, headers: dict | None = None):
        if request_ctx.url_adapter is None:
            response = _fallback(status, title, text)
        else:
            try:
                response = Response(render_template("error.html", title_key=title, text_key=text), status=status,
                                    mimetype="text/html")
            except Exception as exc:  # a broken page must not hide the error behind a second one
                app.logger.exception("error page failed", exc_info=exc)
                response = _fallback(status, title, text)
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.errorhandler(404)
    def not_found(_exc):
        return page(404, "not_found_title", "not_found_text")

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return page(400, "bad_request_title", "bad_request_text")

    @app.errorhandler(413)
    def too_large(_exc):
        return page(413, "too_large_title", "too_large_text")

    @app.errorhandler(429)
    def too_many(exc):
        retry = {name: value for name, value in exc.get_headers() if name == "Retry-After"}
        return page(429, "too_many_title", "too_many_text", retry)

    @app.errorhandler(HTTPException)
    def other_http(exc):
        headers = {name: value for name, value in exc.get_headers() if name == "Allow"}
        if exc.code and exc.code < 500:
            return page(exc.code, "bad_request_title", "bad_request_text", headers)
        return page(exc.code or 500, "server_error_title", "server_error_text")

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error", exc_info=exc)
        return page(500, "server_error_title", "server_error_text")
