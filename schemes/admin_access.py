"""Facility managers in the admin: each sees and changes only their own facilities' rows.

One mixin for every admin over facility-owned rows (facilities, needs, matches), built on the
one access rule in ``selectors`` (``facility_scope``): the changelist, actions, the change,
delete and history pages, and foreign-key choices all go through it. Another facility's row
answers 404, as if it did not exist (healthchecks' ``_get_rw_check_for_user``): nothing on it
is shown or changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from . import selectors
from .models import Facility


class FacilityScopedAdmin(admin.ModelAdmin):
    """Mix in before ``ModelAdmin`` (or ``SimpleHistoryAdmin``); set ``facility_path`` to the
    lookup from the model to its facility ("" for facilities themselves)."""

    facility_path: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(selectors.facility_scope(request.user, self.facility_path))
        )

    def facility_id_of(self, obj: Model) -> int | None:
        if not self.facility_path:
            return obj.pk
        *steps, last = self.facility_path.split("__")
        target: Any = obj
        for step in steps:
            target = getattr(target, step, None)
            if target is None:
                return None
        return getattr(target, f"{last}_id", None)

    def in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        return obj is None or selectors.facility_in_scope(request.user, self.facility_id_of(obj))

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model | None:
        # The scoped queryset finds no row of another facility; Django would then redirect to
        # the index with "does not exist": answer 404 instead, for that row and a missing one.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def _check_history_scope(self, request: HttpRequest, object_id: str) -> None:
        # simple-history falls back to the latest historical row when the queryset does not
        # find the object: a manager's request must find it in their scope first (so another
        # facility's history, and a deleted row's, stay hidden from them).
        if not selectors.sees_every_facility(request.user):
            self.get_object(request, object_id)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        self._check_history_scope(request, object_id)
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Facility:
            kwargs["queryset"] = Facility.objects.filter(selectors.facility_scope(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedFacilityFilter(admin.SimpleListFilter):
    """Filter by facility, listing only the facilities the user may see (there are five: a
    plain list, no query over the filtered rows as ``RelatedOnlyFieldListFilter`` would)."""

    title = "facility"
    parameter_name = "facility"
    facility_path = "facility"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        facilities = Facility.objects.filter(selectors.facility_scope(request.user))
        return [(str(f.pk), f.name) for f in facilities.order_by("number")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        try:
            facility_id = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(**{f"{self.facility_path}_id": facility_id})
