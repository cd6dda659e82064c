"""Routes of the vocabulary: none yet (the partner API's ``capabilities/`` will live here)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
