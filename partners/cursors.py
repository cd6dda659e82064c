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
    """Changes oldest first: the last change's (changed_at, kind, id) — kind 0 a changed match
    (id the match), 1 a deletion (id the tombstone) — and the sync's horizon, fixed on page one."""

    changed_at: datetime.datetime
    kind: int
    id: int
    horizon: datetime.datetime


@dataclass(frozen=True)
class IdPosition:
    id: int


Position = RankPosition | SyncPosition | IdPosition


def encode(position: Position) -> str:
    if isinstance(position, RankPosition):
        raw = {"k": "rank", "s": str(position.score), "i": position.id}
    elif isinstance(position, SyncPosition):
        raw = {"k": "sync", "t": position.changed_at.isoformat(), "d": position.kind}
        raw |= {"i": position.id, "h": position.horizon.isoformat()}
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
            changed_at, horizon = parse_datetime(raw["t"]), parse_datetime(raw["h"])
            if raw["d"] not in (0, 1) or isinstance(raw["d"], bool):
                raise invalid
            for moment in (changed_at, horizon):
                if moment is None or moment.tzinfo is None:
                    raise invalid
            # In UTC now: one near year 1 or 9999 overflows here (a 400), not in the query.
            changed_at = changed_at.astimezone(datetime.UTC)
            horizon = horizon.astimezone(datetime.UTC)
            return SyncPosition(
                changed_at=changed_at, kind=raw["d"], id=position_id, horizon=horizon
            )
    except (KeyError, TypeError, ValueError, InvalidOperation, OverflowError) as error:
        raise invalid from error
    return IdPosition(id=position_id)
