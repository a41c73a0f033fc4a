"""Configuration from ``REPO_*`` environment variables.

Every setting has a default that works on a laptop: one data directory
holding the SQLite database, the file store and the search index. The same
code runs on PostgreSQL and behind a proxy by setting variables, never by
editing code.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# The languages the site speaks (Vietnamese first: the default for everyone).
LOCALES = ("vi", "en")


def parse_networks(value: str) -> tuple[Network, ...]:
    """Parse a comma-separated CIDR list; a bad entry is a start-up error, not a silent hole."""
    networks = []
    for part in value.split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return tuple(networks)


def _secret_key(data_dir: Path) -> str:
    """Keep one random key per data directory, so sessions survive restarts without configuration."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


PRODUCTION = "production"
# A signing key shorter than this many bytes of randomness can be searched; 32 is what
# ``secrets.token_urlsafe(32)`` (43 characters) and ``secrets.token_hex(32)`` give.
MIN_SECRET_BYTES = 32
HSTS_SECONDS = 365 * 86400


class ConfigError(Exception):
    """A setting that must be fixed before the site may start; the message says how."""


def secret_strength(key: str) -> int:
    """Roughly how many random bytes ``key`` carries: hex gives 4 bits a character,
    base64 6, anything else at most 8; a key of few distinct characters carries little."""
    if len(set(key)) < 12:
        return 0
    if all(c in "0123456789abcdefABCDEF" for c in key):
        return len(key) // 2
    if all(c.isalnum() or c in "-_+/=" for c in key):
        return len(key.rstrip("=")) * 6 // 8
    return len(key)


def _limit_storage(env: Mapping[str, str], data_dir: Path) -> str:
    """Rate-limit counters: the queue's Redis when there is one (many hosts), else a SQLite
    file in the data directory that every process on this host shares."""
    queue = env.get("REPO_QUEUE_URL", "")
    if queue.startswith(("redis://", "rediss://")):
        return queue
    return f"repo-sqlite://{data_dir / 'limits.sqlite3'}"


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from ``REPO_*`` variables."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("REPO_DATA_DIR", "instance")).resolve()
    production = env.get("REPO_ENV", "development") == PRODUCTION
    return {
        "DATA_DIR": data_dir,
        "DATABASE_URL": env.get("REPO_DATABASE_URL", f"sqlite:///{data_dir / 'repo.sqlite3'}"),
        # Seconds a SQLite writer waits for another before the request answers 503.
        "DB_BUSY_TIMEOUT": float(env.get("REPO_DB_BUSY_TIMEOUT", "30")),
        "ENV_NAME": PRODUCTION if production else "development",
        # In production the key must be configured: a key in the data directory would be
        # copied with every backup of it. Elsewhere one is made and kept there.
        "SECRET_KEY": env.get("REPO_SECRET_KEY") or ("" if production else _secret_key(data_dir)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Hosts answered besides REPO_BASE_URL's, in production (e.g. the address a monitor uses).
        "ALLOWED_HOSTS": [h.strip() for h in env.get("REPO_ALLOWED_HOSTS", "").split(",")
                          if h.strip()],
        "CAMPUS_NETWORKS": parse_networks(env.get("REPO_CAMPUS_NETWORKS", "")),
        "READING_ROOM_NETWORKS": parse_networks(env.get("REPO_READING_ROOM_NETWORKS", "")),
        "TRUSTED_PROXIES": parse_networks(env.get("REPO_TRUSTED_PROXIES", "")),
        "INSTITUTION_NAME": env.get("REPO_INSTITUTION_NAME", "Trường Đại học Mẫu"),
        "INSTITUTION_NAME_EN": env.get("REPO_INSTITUTION_NAME_EN", "Sample University"),
        "IDENTIFIER_PREFIX": env.get("REPO_IDENTIFIER_PREFIX", "vnir"),
        "BASE_URL": env.get("REPO_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_UPLOAD_MB": int(env.get("REPO_MAX_UPLOAD_MB", "200")),
        # Uploads an account may have waiting in staging (kept a day) before a work takes them.
        "STAGING_QUOTA_MB": int(env.get("REPO_STAGING_QUOTA_MB", "1024")),
        # Scanning-station uploads (docs/ocr.md): files in one upload, pixels in one page
        # image (Pillow's decompression-bomb limit: an A0 sheet at 300 dpi fits), and what
        # a ZIP of page images may expand to.
        "SCAN_MAX_FILES": int(env.get("REPO_SCAN_MAX_FILES", "2000")),
        "SCAN_MAX_PIXELS": int(env.get("REPO_SCAN_MAX_PIXELS", "89478485")),
        "SCAN_MAX_EXPANDED_MB": int(env.get("REPO_SCAN_MAX_EXPANDED_MB", "4096")),
        "EXTRACT_TIMEOUT": float(env.get("REPO_EXTRACT_TIMEOUT", "120")),
        # Background jobs (docs/jobs.md): the queue (empty: SQLite in the data directory;
        # redis://…: workers on any host), worker threads per `repo-app run` (default: the
        # cores), running jobs in the process that queued them (tests), OCR limits.
        "QUEUE_URL": env.get("REPO_QUEUE_URL", ""),
        "QUEUE_NAME": env.get("REPO_QUEUE_NAME", "repo-jobs"),
        "JOB_CONCURRENCY": int(env.get("REPO_JOB_CONCURRENCY", "0")) or (os.cpu_count() or 1),
        "JOBS_EAGER": env.get("REPO_JOBS_EAGER", "0") == "1",
        "MAX_PAGES": int(env.get("REPO_MAX_PAGES", "1500")),
        "OCR_LANGUAGES": env.get("REPO_OCR_LANGUAGES", "vie+eng"),
        "OCR_PAGE_TIMEOUT": float(env.get("REPO_OCR_PAGE_TIMEOUT", "300")),
        "OCR_MIN_CONFIDENCE": float(env.get("REPO_OCR_MIN_CONFIDENCE", "70")),
        "OCR_MIN_VALID_RATIO": float(env.get("REPO_OCR_MIN_VALID_RATIO", "0.8")),
        "EXTRACT_MEMORY_MB": int(env.get("REPO_EXTRACT_MEMORY_MB", "2048")),
        # Search memory per process: the caches' budget (they take up to 1.625 times it),
        # an index write's and each rebuild process's posting pool before it spills to disk.
        "SEARCH_CACHE_MB": int(env.get("REPO_SEARCH_CACHE_MB", "256")),
        "SEARCH_WRITER_MB": int(env.get("REPO_SEARCH_WRITER_MB", "128")),
        "SEARCH_REBUILD_MB": int(env.get("REPO_SEARCH_REBUILD_MB", "256")),
        "EMBARGO_METADATA_PUBLIC": env.get("REPO_EMBARGO_METADATA_PUBLIC", "1") != "0",
        "RESTRICTED_READERS": frozenset(
            s.strip() for s in env.get("REPO_RESTRICTED_READERS", "member,reading_room").split(",")
        ),
        "DEFAULT_LOCALE": env.get("REPO_DEFAULT_LOCALE", "vi"),
        # Times on pages (audit log, queues) are shown in this zone; stored times stay UTC.
        "BABEL_DEFAULT_TIMEZONE": env.get("REPO_TIMEZONE", "Asia/Ho_Chi_Minh"),
        # The reading room, told to a reader refused a work that can be read there (the
        # English texts fall back to the Vietnamese ones when not set).
        "READING_ROOM_HOURS": env.get("REPO_READING_ROOM_HOURS",
                                      "Thứ Hai – Thứ Sáu, 7:30 – 11:30 và 13:30 – 17:00"),
        "READING_ROOM_HOURS_EN": env.get("REPO_READING_ROOM_HOURS_EN",
                                         "Monday – Friday, 7:30 – 11:30 and 13:30 – 17:00"),
        "READING_ROOM_ADDRESS": env.get("REPO_READING_ROOM_ADDRESS",
                                        "Phòng đọc, tầng 2, Thư viện Trung tâm"),
        "READING_ROOM_ADDRESS_EN": env.get("REPO_READING_ROOM_ADDRESS_EN",
                                           "Reading room, 2nd floor, Central Library"),
        "OAI_DOMAIN": env.get("REPO_OAI_DOMAIN", ""),
        "OAI_PAGE_SIZE": int(env.get("REPO_OAI_PAGE_SIZE", "100")),
        "SITEMAP_PAGE_SIZE": int(env.get("REPO_SITEMAP_PAGE_SIZE", "50000")),
        "ADMIN_EMAIL": env.get("REPO_ADMIN_EMAIL", ""),
        # What makes the site recognisably the library's (issue 15): a logo and a favicon
        # (empty: the ones in static/), the footer's contact, a policies page elsewhere
        # (empty: /policies), and the licence a depositor accepts (empty: the default text).
        "LOGO_URL": env.get("REPO_LOGO_URL", ""),
        "FAVICON_URL": env.get("REPO_FAVICON_URL", ""),
        "CONTACT_EMAIL": env.get("REPO_CONTACT_EMAIL", env.get("REPO_ADMIN_EMAIL", "")),
        "CONTACT_PHONE": env.get("REPO_CONTACT_PHONE", ""),
        "CONTACT_ADDRESS": env.get("REPO_CONTACT_ADDRESS", ""),
        "POLICIES_URL": env.get("REPO_POLICIES_URL", ""),
        "DEPOSIT_LICENCE": env.get("REPO_DEPOSIT_LICENCE", ""),
        # Restricted reader and copy requests: limits that stop a script harvesting a thesis.
        "READER_PAGES_PER_MINUTE": int(env.get("REPO_READER_PAGES_PER_MINUTE", "30")),
        # Distinct pages of one work one account (or guest address) may read in a Vietnamese
        # day when it may not download the work; librarians are told when it is reached.
        "READER_PAGES_PER_DAY": int(env.get("REPO_READER_PAGES_PER_DAY", "60")),
        # The render worker (ingest/page_images.py): page width (for reading, not for OCR),
        # memory, seconds and image megapixels a page may take; renders at once per process.
        "READER_PAGE_WIDTH": int(env.get("REPO_READER_PAGE_WIDTH", "1000")),
        "READER_RENDER_MEMORY_MB": int(env.get("REPO_READER_RENDER_MEMORY_MB", "768")),
        "READER_RENDER_TIMEOUT": float(env.get("REPO_READER_RENDER_TIMEOUT", "20")),
        "READER_MAX_IMAGE_MEGAPIXELS": int(env.get("REPO_READER_MAX_IMAGE_MEGAPIXELS", "150")),
        "READER_RENDER_PROCESSES": int(env.get("REPO_READER_RENDER_PROCESSES", "4")),
        "READER_CACHE_MB": int(env.get("REPO_READER_CACHE_MB", "2048")),
        "COPY_REQUESTS_PER_HOUR": int(env.get("REPO_COPY_REQUESTS_PER_HOUR", "5")),
        # Outgoing mail (decisions on copy requests); without a host, messages stay in the outbox.
        "SMTP_HOST": env.get("REPO_SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("REPO_SMTP_PORT", "25")),
        "SMTP_FROM": env.get("REPO_SMTP_FROM", ""),
        # Seconds between opportunistic embargo lifts in a web process (0: only the command).
        "EMBARGO_LIFT_INTERVAL": int(env.get("REPO_EMBARGO_LIFT_INTERVAL", "3600")),
        # Coverage: "category:percent:due" targets, holding categories, a public summary page.
        "COVERAGE_TARGETS": env.get("REPO_COVERAGE_TARGETS",
                                    "endogenous:70:2025-12-31,rare:100:2025-12-31"),
        "HOLDING_CATEGORIES": env.get("REPO_HOLDING_CATEGORIES", "endogenous,rare"),
        "PUBLIC_COVERAGE": env.get("REPO_PUBLIC_COVERAGE", "0"),
        # Usage statistics (docs/usage.md): counted at all (0: a site that keeps none);
        # seconds a web process keeps its hits in memory before writing them (0: at once).
        "USAGE_STATISTICS": env.get("REPO_USAGE_STATISTICS", "1") != "0",
        "USAGE_FLUSH_SECONDS": float(env.get("REPO_USAGE_FLUSH_SECONDS", "10")),
        # Logins: attempts that failed, per account and per address, in Flask-Limiter's
        # notation; how long a login lasts; where the counters live (rate_limits.py).
        "LOGIN_LIMIT_ACCOUNT": env.get("REPO_LOGIN_LIMIT_ACCOUNT", "5 per minute; 20 per hour"),
        "LOGIN_LIMIT_ADDRESS": env.get("REPO_LOGIN_LIMIT_ADDRESS", "30 per minute; 300 per hour"),
        "RESET_LIMIT": env.get("REPO_RESET_LIMIT", "5 per hour"),
        "SESSION_HOURS": float(env.get("REPO_SESSION_HOURS", "12")),
        "RATE_LIMIT_STORAGE": _limit_storage(env, data_dir),
        "RATE_LIMIT_PREFIX": env.get("REPO_RATE_LIMIT_PREFIX", "repo-limits"),
        # werkzeug's method string; tests use a cheap one, production keeps scrypt.
        "PASSWORD_HASH_METHOD": env.get("REPO_PASSWORD_HASH_METHOD", "scrypt"),
    }


def apply_environment(config: dict[str, Any]) -> None:
    """Production settings derived from the others, or a ``ConfigError`` saying what to fix.

    Called once the configuration is complete (after a test's overrides).
    """
    if config["ENV_NAME"] != PRODUCTION:
        return
    key = config.get("SECRET_KEY") or ""
    if secret_strength(key) < MIN_SECRET_BYTES:
        raise ConfigError(
            "REPO_SECRET_KEY is missing or too weak for production: it needs at least "
            f"{MIN_SECRET_BYTES} random bytes, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    base_host = urlsplit(config["BASE_URL"]).netloc
    if not base_host:
        raise ConfigError("REPO_BASE_URL must be the site's full address, e.g. https://thuvien.example.edu.vn")
    # Flask answers 400 to any other Host header, so no forged host reaches a page.
    config["TRUSTED_HOSTS"] = [base_host.split("@")[-1], *config["ALLOWED_HOSTS"]]
    config["HSTS_SECONDS"] = HSTS_SECONDS if config["BASE_URL"].startswith("https://") else 0
