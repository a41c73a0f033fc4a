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


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from ``REPO_*`` variables."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("REPO_DATA_DIR", "instance")).resolve()
    return {
        "DATA_DIR": data_dir,
        "DATABASE_URL": env.get("REPO_DATABASE_URL", f"sqlite:///{data_dir / 'repo.sqlite3'}"),
        "SECRET_KEY": env.get("REPO_SECRET_KEY") or _secret_key(data_dir),
        "CAMPUS_NETWORKS": parse_networks(env.get("REPO_CAMPUS_NETWORKS", "")),
        "READING_ROOM_NETWORKS": parse_networks(env.get("REPO_READING_ROOM_NETWORKS", "")),
        "TRUSTED_PROXIES": parse_networks(env.get("REPO_TRUSTED_PROXIES", "")),
        "INSTITUTION_NAME": env.get("REPO_INSTITUTION_NAME", "Trường Đại học Mẫu"),
        "INSTITUTION_NAME_EN": env.get("REPO_INSTITUTION_NAME_EN", "Sample University"),
        "IDENTIFIER_PREFIX": env.get("REPO_IDENTIFIER_PREFIX", "vnir"),
        "BASE_URL": env.get("REPO_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_UPLOAD_MB": int(env.get("REPO_MAX_UPLOAD_MB", "200")),
        "EXTRACT_TIMEOUT": float(env.get("REPO_EXTRACT_TIMEOUT", "120")),
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
        "OAI_DOMAIN": env.get("REPO_OAI_DOMAIN", ""),
        "OAI_PAGE_SIZE": int(env.get("REPO_OAI_PAGE_SIZE", "100")),
        "SITEMAP_PAGE_SIZE": int(env.get("REPO_SITEMAP_PAGE_SIZE", "50000")),
        "ADMIN_EMAIL": env.get("REPO_ADMIN_EMAIL", ""),
        # Restricted reader and copy requests: limits that stop a script harvesting a thesis.
        "READER_PAGES_PER_MINUTE": int(env.get("REPO_READER_PAGES_PER_MINUTE", "30")),
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
        # werkzeug's method string; tests use a cheap one, production keeps scrypt.
        "PASSWORD_HASH_METHOD": env.get("REPO_PASSWORD_HASH_METHOD", "scrypt"),
    }
