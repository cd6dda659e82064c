"""/eligibility/…: the self-check, its shareable result and the what-if."""

from django.urls import path

from . import views

app_name = "eligibility"

urlpatterns = [
    path("", views.SelfCheckWizard.as_view(), name="check"),
    path("result/<str:token>/", views.result, name="result"),
    path("result/<str:token>/continue/", views.carry_answers, name="carry"),
]
