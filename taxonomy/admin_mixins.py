"""What every room's admin shares: figures typed and shown the Indian way, and audit history
with the path each change came through.

Here, in the bottom room, so every room's admin may use them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.forms import Field
from django.http import HttpRequest
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .amounts import GroupedDecimalField, RupeesField, RupeesInput
from .history import AuditedHistory

RUPEES_HELP = "Type it as you read it: 2,50,00,000, 2.5 crore or 25 lakh."


class IndianFiguresAdmin(BaseModelAdmin):
    """Mix into a ModelAdmin or an inline: decimals shown and typed with Indian grouping
    (12,00,000), and fields named ``*_rupees`` as rupee amounts (typed in figures, lakh or crore;
    shown as 2,50,00,000 with "₹2.5 crore" beside)."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> Field | None:
        if db_field.choices:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.IntegerField) and db_field.name.endswith("_rupees"):
            return RupeesField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=RUPEES_HELP,
                widget=RupeesInput,
            )
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", GroupedDecimalField)
            kwargs.setdefault("widget", GroupedDecimalField.widget)
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class WrittenByTheSystemAdmin(BaseModelAdmin):
    """Mix into a ModelAdmin or an inline for records a process writes (matcher runs,
    allocation runs, consortium proposals): shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(SimpleHistoryAdmin):
    """Audit history viewable and comparable in the admin: each version with who made it,
    when, through which path (admin, import, partner API, MSME pages, command, system) and what
    changed from the one before (simple-history's "Changes" column)."""

    history_list_display = ["changed_through"]

    @admin.display(description="changed through")
    def changed_through(self, record: AuditedHistory) -> str:
        return str(record.get_history_path_display())  # type: ignore[attr-defined]
