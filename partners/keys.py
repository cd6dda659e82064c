"""Making and reading API keys: ``repm_<prefix>_<secret>``, 32 random bytes in all."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

KEY_PREFIX = "repm_"
PREFIX_LENGTH = 8


def new_key() -> tuple[str, str, str]:
    """A new key, its prefix and its digest. The key itself is shown once and never stored."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest_of(key)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# What a key looks like; anything else (a NUL, a space, 10 kB) is refused before any query.
WELL_FORMED = re.compile(rf"{KEY_PREFIX}(?P<prefix>[0-9a-z]{{{PREFIX_LENGTH}}})_[A-Za-z0-9_-]+")


def prefix_of(key: str) -> str | None:
    """The prefix a well-formed key carries, or None."""
    if len(key) > 200:
        return None
    match = WELL_FORMED.fullmatch(key)
    return match["prefix"] if match else None


def digests_match(key: str, digest: str) -> bool:
    return hmac.compare_digest(digest_of(key), digest)
