"""``/api/v1/``: the partner API (the eligibility check lives with its room)."""

from django.urls import path

from . import api

app_name = "partners"

urlpatterns = [
    path("facilities/", api.FacilityList.as_view(), name="facilities"),
    path("clusters/", api.ClusterList.as_view(), name="clusters"),
    path("capabilities/", api.CapabilityList.as_view(), name="capabilities"),
    path("needs/", api.NeedList.as_view(), name="needs"),
    path("needs/<int:need_id>/", api.NeedDetail.as_view(), name="need"),
    path("matches/", api.MatchList.as_view(), name="matches"),
    path("matches/<int:match_id>/", api.MatchDetail.as_view(), name="match"),
]
