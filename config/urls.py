"""URL map: pages (English unprefixed, Hindi under /hi/), admin, health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from schemes import urls as scheme_urls
from schemes import views as scheme_views

from .views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", scheme_views.home, name="home"),
    path("facilities/", include(scheme_urls)),
    path("clusters/", include(scheme_urls.cluster_urlpatterns)),
    prefix_default_language=False,
)
