"""Configuration with embedded defaults: SQLite in the instance folder, the
bundled forms, a secret key generated at first run (never committed)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_FORMS = Path(__file__).resolve().parent.parent / "forms"


def secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, creating it (mode 0600) on first run."""
    path = instance_path / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def defaults(instance_path: Path) -> dict:
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'formwerk.db'}",
        "FORMS_DIR": os.environ.get("FORMWERK_FORMS_DIR") or str(REPO_FORMS),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,  # uploads included; forms posts are far smaller
        "MAX_FORM_MEMORY_SIZE": 512 * 1024,
        "MAX_FORM_PARTS": 2000,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure by default; `make run` serves plain HTTP on 127.0.0.1 and turns it off.
        "SESSION_COOKIE_SECURE": os.environ.get("FORMWERK_SECURE_COOKIES", "1") != "0",
        "WTF_CSRF_TIME_LIMIT": None,  # drafts may stay open for hours; the token is bound to the session
        "DRAFT_LIFETIME_DAYS": int(os.environ.get("FORMWERK_DRAFT_DAYS", "30")),
        "DEFAULT_LANGUAGE": "de",
        "LANGUAGES": ("de", "en"),
        # -- limits (issue 12); see README "Operating it safely" --
        "MAX_FORM_BODY": 256 * 1024,  # bytes of any non-multipart body (wizard posts are urlencoded)
        "MAX_FORM_FIELDS": 1000,  # fields of any post, whatever its content type
        "MAX_TEXT_LENGTH": 10000,  # characters of an answer whose question sets no maxLength
        "MAX_DRAFT_BYTES": 512 * 1024,  # a draft's stored answers
        "MAX_LIST_ITEMS": 50,  # entries of an "add another" list whose form sets no maxItems
        "MAX_FILES_PER_REQUIREMENT": 10,
        "MAX_UPLOAD_BYTES_PER_DRAFT": 60 * 1024 * 1024,
        "MAX_IMAGE_PIXELS": 60_000_000,  # about 60 megapixels; scans at 300 dpi are far below
        # uploads checked at once per process (CPU-bound: a few PDF bombs must not slow every page),
        # how long an upload waits for a free check (then 503 with Retry-After), and time per file
        "UPLOAD_CHECKS": int(os.environ.get("FORMWERK_UPLOAD_CHECKS", "2")),
        "UPLOAD_CHECK_WAIT": 2.0,
        "UPLOAD_CHECK_SECONDS": float(os.environ.get("FORMWERK_UPLOAD_CHECK_SECONDS", "10")),
        "RATE_LIMITS": {},  # scope: (hits, seconds), overriding webapp.ratelimit.DEFAULT_LIMITS
        "RATE_LIMIT_FACTOR": float(os.environ.get("FORMWERK_RATE_LIMIT_FACTOR", "1")),
        "SESSION_IDLE_HOURS": int(os.environ.get("FORMWERK_SESSION_HOURS", "24")),
        "SESSION_MAX_BYTES": 16 * 1024,
        # -- deployment behind proxies --
        "PUBLIC_URL": os.environ.get("FORMWERK_PUBLIC_URL") or None,  # e.g. https://antrag.example.de: links never use Host
        "TRUSTED_HOSTS": [h for h in os.environ.get("FORMWERK_TRUSTED_HOSTS", "").split(",") if h] or None,
        "PROXY_COUNT": int(os.environ.get("FORMWERK_PROXIES", "0")),  # reverse proxies in front (X-Forwarded-*)
    }
