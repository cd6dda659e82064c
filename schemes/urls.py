from django.urls import path

from . import views

app_name = "schemes"

urlpatterns = [
    path("", views.facility_list, name="facility_list"),
    path("<slug:slug>/", views.facility_detail, name="facility_detail"),
]
