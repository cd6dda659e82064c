"""Routes of the matcher: none yet."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
