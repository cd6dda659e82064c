"""/insights/…: the administrators' gap analytics (staff only). Each table of a page downloads
as CSV at the page's address with ``<table>.csv`` appended."""

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:table>.csv", views.overview, name="overview_csv"),
    path("refresh/", views.refresh, name="refresh"),
    path("supply/", views.supply, name="supply"),
    path("supply/<slug:table>.csv", views.supply, name="supply_csv"),
    path("clusters/<slug:slug>/", views.cluster, name="cluster"),
    path("clusters/<slug:slug>/<slug:table>.csv", views.cluster, name="cluster_csv"),
    path("facilities/<slug:slug>/", views.facility, name="facility"),
    path("facilities/<slug:slug>/<slug:table>.csv", views.facility, name="facility_csv"),
]
