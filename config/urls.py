from django.contrib import admin
from django.urls import include, path

from config.api import api
from sangsaeng.core import views as core_views
from sangsaeng.core.availability import readyz
from sangsaeng.core.metrics import metrics

urlpatterns = [
    path("", include("sangsaeng.home.urls")),
    path("", include("sangsaeng.core.urls")),
    path("accounts/", include("sangsaeng.accounts.urls")),
    path("partners/", include("sangsaeng.partners.urls")),
    path("rnd/", include("sangsaeng.rnd.urls")),
    path("finance/", include("sangsaeng.finance.urls")),
    path("usecases/", include("sangsaeng.usecases.urls")),
    path("openlab/", include("sangsaeng.openlab.urls")),
    path("councils/", include("sangsaeng.councils.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
]

# Error pages in the site's layout and language; JSON error bodies under /api/ (core.error_views).
handler400 = "sangsaeng.core.error_views.bad_request"
handler403 = "sangsaeng.core.error_views.permission_denied"
handler404 = "sangsaeng.core.error_views.page_not_found"
handler500 = "sangsaeng.core.error_views.server_error"
