from django.urls import path

from . import views

app_name = "clusters"

urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("<slug:slug>/", views.cluster_detail, name="detail"),
]
