"""URL map: pages (English unprefixed, Hindi under /hi/), admin, health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from eligibility.api import EligibilityCheckApi
from insights import views as insights_views
from schemes import urls as scheme_urls
from schemes import views as scheme_views

from .views import healthz

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

# The admin says whose it is (templates/admin/base_site.html adds the house's admin sheet).
admin.site.site_header = "REPM Connect"
admin.site.site_title = "REPM Connect admin"
admin.site.index_title = "Scheme administration"

# The vocabulary's admin pages moved with its models into taxonomy (migration taxonomy 0001):
# old bookmarks land on the new pages.
moved_to_taxonomy = RedirectView.as_view(
    url="/admin/taxonomy/%(model)s/%(rest)s", permanent=True, query_string=True
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    re_path(
        r"^admin/vendors/(?P<model>capabilitycategory|process|certificationtype|msmelimit)/"
        r"(?P<rest>.*)$",
        moved_to_taxonomy,
    ),
    re_path(r"^admin/schemes/(?P<model>strategicsector)/(?P<rest>.*)$", moved_to_taxonomy),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/v1/eligibility/check/", EligibilityCheckApi.as_view(), name="api_eligibility_check"),
    path("api/v1/", include("partners.urls")),
]

urlpatterns += i18n_patterns(
    path("", scheme_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("me/", include("portal.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("facilities/", include(scheme_urls)),
    path("clusters/", include(scheme_urls.cluster_urlpatterns)),
    # The public cluster page's supply-and-demand table (insights' aggregates) as CSV.
    path(
        "clusters/<slug:slug>/<slug:table>.csv",
        insights_views.public_cluster_csv,
        name="cluster_supply_demand_csv",
    ),
    path("insights/", include("insights.urls")),
    prefix_default_language=False,
)
