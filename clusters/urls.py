"""Routes of the clusters room: none yet. ``/clusters/`` is served from ``schemes/urls.py``
(``cluster_urlpatterns``), because the cluster pages list facilities."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
