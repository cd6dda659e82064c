"""URLs of the scheme's pages: facilities under ``schemes:``, clusters under ``clusters:``.

The cluster pages keep their own namespace (``clusters:list``, ``clusters:detail``), which
``Cluster.get_absolute_url`` and the templates use, though their views live in this room.
"""

from django.urls import path

from . import views

app_name = "schemes"

urlpatterns = [
    path("", views.facility_list, name="facility_list"),
    path("<slug:slug>/", views.facility_detail, name="facility_detail"),
]

cluster_urlpatterns = (
    [
        path("", views.cluster_list, name="list"),
        path("<slug:slug>/", views.cluster_detail, name="detail"),
    ],
    "clusters",
)
