"""Keyset cursors: a page starts after the last row of the one before, never at an offset.

A cursor is the position of the last row seen (its sort values and id), base64-encoded JSON.
Forward only. A cursor that does not decode, or belongs to another ordering, is a 400.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1
MAX_CURSOR_LENGTH = 200
# URL-safe base64 without padding; Python's decoder would skip any other character silently.
CURSOR_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class RankPosition:
    """Matches best first: (-score, id)."""

    score: Decimal
    id: int


@dataclass(frozen=True)
class SyncPosition:
    """Changes oldest first: (changed_at, deleted, id); tombstones after live rows at a tie."""

    changed_at: datetime.datetime
    deleted: bool
    id: int


@dataclass(frozen=True)
class IdPosition:
    id: int


Position = RankPosition | SyncPosition | IdPosition


def encode(position: Position) -> str:
    if isinstance(position, RankPosition):
        raw = {"k": "rank", "s": str(position.score), "i": position.id}
    elif isinstance(position, SyncPosition):
        raw = {"k": "sync", "t": position.changed_at.isoformat(), "d": position.deleted}
        raw["i"] = position.id
    else:
        raw = {"k": "id", "i": position.id}
    text = json.dumps(raw, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode(cursor: str, kind: str) -> Position:
    """The position a cursor holds, for a list ordered by ``kind``; 400 if it is not one."""
    invalid = ValidationError({"cursor": [_("Invalid cursor.")]})
    if len(cursor) > MAX_CURSOR_LENGTH or not CURSOR_ALPHABET.fullmatch(cursor):
        raise invalid
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise invalid from error
    if not isinstance(raw, dict) or raw.get("k") != kind:
        raise invalid
    position_id = raw.get("i")
    if not isinstance(position_id, int) or isinstance(position_id, bool):
        raise invalid
    if not 0 <= position_id <= MAX_ID:
        raise invalid
    try:
        if kind == "rank":
            score = Decimal(raw["s"])
            if not score.is_finite() or not 0 <= score <= 100:
                raise invalid
            return RankPosition(score=score, id=position_id)
        if kind == "sync":
            changed_at = parse_datetime(raw["t"])
            if changed_at is None or changed_at.tzinfo is None or not isinstance(raw["d"], bool):
                raise invalid
            changed_at = changed_at.astimezone(datetime.UTC)  # OverflowError near year 1 or 9999
            return SyncPosition(changed_at=changed_at, deleted=raw["d"], id=position_id)
    except (KeyError, TypeError, ValueError, InvalidOperation, OverflowError) as error:
        raise invalid from error
    return IdPosition(id=position_id)
