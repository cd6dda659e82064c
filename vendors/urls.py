"""Routes of the suppliers room: none yet."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
