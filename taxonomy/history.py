"""Audit history: who changed what, when, and through which path.

django-simple-history records who and when; every audited model's historical table also records
``history_path``: the admin, an import, the partner API, the MSME pages, a command or the system
(a rematch, a periodic job). The path is set once per request by ``config.middleware`` (by URL)
or around a job with ``changed_via``; bulk writes pass ``bulk_history_attrs()`` to
simple-history's ``bulk_*_with_history`` helpers, which send no signal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record


class ChangePath(models.TextChoices):
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Import")
    API = "api", _("Partner API")
    MSME = "msme", _("MSME pages")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


_current_path: ContextVar[str] = ContextVar("history_path", default=ChangePath.SYSTEM)


@contextmanager
def changed_via(path: str) -> Iterator[None]:
    """Record every change made inside this block as made through ``path``."""
    token = _current_path.set(ChangePath(path))
    try:
        yield
    finally:
        _current_path.reset(token)


def current_path() -> str:
    return _current_path.get()


def bulk_history_attrs() -> dict[str, Any]:
    """``custom_historical_attrs`` for simple-history's bulk helpers."""
    return {"history_path": current_path()}


class AuditedHistory(models.Model):
    """The base of every audited model's historical table (``HistoricalRecords(bases=...)``)."""

    history_path = models.CharField(
        "changed through", max_length=8, choices=ChangePath.choices, default=ChangePath.SYSTEM
    )

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _stamp_path(sender: type, history_instance: models.Model, **kwargs: Any) -> None:
    if isinstance(history_instance, AuditedHistory):
        history_instance.history_path = current_path()
