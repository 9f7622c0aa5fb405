"""Error pages in the applicant's language: never a bare 500 or a traceback."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    def page(status: int, title: str, text: str):
        return render_template("error.html", title_key=title, text_key=text), status

    @app.errorhandler(404)
    def not_found(_exc):
        return page(404, "not_found_title", "not_found_text")

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return page(400, "bad_request_title", "bad_request_text")

    @app.errorhandler(413)
    def too_large(_exc):
        return page(413, "too_large_title", "too_large_text")

    @app.errorhandler(HTTPException)
    def other_http(exc):
        if exc.code and exc.code < 500:
            return page(exc.code, "bad_request_title", "bad_request_text")
        return page(exc.code or 500, "server_error_title", "server_error_text")

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error", exc_info=exc)
        return page(500, "server_error_title", "server_error_text")
