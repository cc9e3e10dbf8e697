"""The site's URLs plus one route with an id that no app registered (test_tenancy.py proves it is caught)."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns


def _thing(request, thing_id):
    return HttpResponse(str(thing_id))


urlpatterns = [
    *site_urlpatterns,
    path("probe/", include(([path("<int:thing_id>/", _thing, name="thing")], "probe"))),
]
