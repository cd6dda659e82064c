"""/me/…: the MSME owner's pages."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("profile/new/", views.profile_new, name="profile_new"),
    path("account/", views.account_preferences, name="account_preferences"),
    path("eligibility/", views.eligibility_result, name="eligibility"),
    path("enterprise/", views.enterprise_switch, name="enterprise_switch"),
    path("documents/<path:name>", views.certificate_document, name="certificate_document"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:match_id>/", views.match_detail, name="match_detail"),
    path("matches/<int:match_id>/interest/", views.match_interest, name="match_interest"),
    path("matches/<int:match_id>/withdraw/", views.match_withdraw_interest, name="match_withdraw"),
    path("consortia/", views.consortium_list, name="consortium_list"),
    path("consortia/<int:consortium_id>/", views.consortium_detail, name="consortium_detail"),
    path(
        "consortia/<int:consortium_id>/answer/",
        views.consortium_answer,
        name="consortium_answer",
    ),
]
