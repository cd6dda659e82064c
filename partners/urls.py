"""``/api/v1/``: the partner API (the eligibility check lives with its room)."""

from django.urls import path, register_converter

from . import api, api_consortia, api_recommendations
from .cursors import MAX_ID

app_name = "partners"


class IdConverter:
    """A database id in the path: digits that fit a 64-bit column. A longer number does not
    match (a 404, like any unknown id) rather than overflow the query."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # no match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("facilities/", api.FacilityList.as_view(), name="facilities"),
    path("clusters/", api.ClusterList.as_view(), name="clusters"),
    path("capabilities/", api.CapabilityList.as_view(), name="capabilities"),
    path("needs/", api.NeedList.as_view(), name="needs"),
    path("needs/<id:need_id>/", api.NeedDetail.as_view(), name="need"),
    path("matches/", api.MatchList.as_view(), name="matches"),
    path("matches/<id:match_id>/", api.MatchDetail.as_view(), name="match"),
    path("consortia/", api_consortia.ConsortiumList.as_view(), name="consortia"),
    path(
        "recommendations/",
        api_recommendations.RecommendationList.as_view(),
        name="recommendations",
    ),
    path(
        "consortia/<id:consortium_id>/",
        api_consortia.ConsortiumDetail.as_view(),
        name="consortium",
    ),
]
