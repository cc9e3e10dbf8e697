"""Pages that maintain the Open Lab's catalogue: sites and their opening hours, zones, resources with
their booking rules, closures. For host administrators, lab operators and programme managers (403 for
other members). Each form posts with htmx and gets itself back with field-level errors, or a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.openlab import permissions, selectors, selectors_catalogue, services_catalogue
from sangsaeng.openlab.forms import (
    ClosureForm,
    OpeningHoursForm,
    ResourceForm,
    SiteForm,
    ZoneForm,
)
from sangsaeng.openlab.models import Site

FORM_PARTIAL = "openlab/partials/manage_form.html"


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_manage_resources(request.user):
        raise PermissionDenied(
            _("Only host administrators, lab operators and programme managers maintain the lab.")
        )


def _done(request: AuthenticatedHttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    form: Form,
    title: str,
    action: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "action": action, "submit_label": _("Save"), **(extra or {})}
    if request.htmx and request.method == "POST":
        return render(request, FORM_PARTIAL, context)
    return render(request, "openlab/manage_form.html", context)


@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sites with their hours and zones, and every resource (inactive ones too), 50 per page."""
    _require_manager(request)
    site_id = request.GET.get("site", "")
    resources = selectors_catalogue.managed_resources_for_user(
        request.user, site_id=int(site_id) if site_id.isdigit() else None
    )
    context = {
        "sites": selectors_catalogue.managed_sites_for_user(request.user),
        "page": page_of(request, resources, selectors.PAGE_SIZE),
        "site_id": site_id,
    }
    return render(request, "openlab/manage.html", context)


@login_required
def site_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manager(request)
    form = SiteForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            site = services_catalogue.save_site(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[site.pk]), _("Site saved."))
    return _form_page(request, form=form, title=_("New site"), action=reverse("openlab:manage_site_new"))


def _site_page(request: AuthenticatedHttpRequest, site: Site, **forms: Form) -> HttpResponse:
    site_form = forms.get("site_form") or SiteForm(
        initial=model_to_dict(site, fields=services_catalogue.SITE_FIELDS)
    )
    hours_form = forms.get("hours_form") or OpeningHoursForm(initial=OpeningHoursForm.initial_for(site))
    resources = selectors_catalogue.managed_resources_for_user(request.user, site_id=site.pk)
    closure_form = forms.get("closure_form") or ClosureForm(resources=resources)
    context = {
        "site": site,
        "site_form": site_form,
        "hours_form": hours_form,
        "closure_form": closure_form,
        "closures": selectors_catalogue.upcoming_closures_for_user(request.user, site)[:100],
    }
    return render(request, "openlab/manage_site.html", context)


@login_required
def site_edit(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """A site: its details, weekly opening hours, zones and upcoming closures."""
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    if request.method != "POST":
        return _site_page(request, site)
    form = SiteForm(request.POST)
    if form.is_valid():
        try:
            services_catalogue.save_site(actor=request.user, site=site, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[site.pk]), _("Site saved."))
    if request.htmx:
        action = reverse("openlab:manage_site", args=[site.pk])
        return render(request, FORM_PARTIAL, {"form": form, "action": action, "submit_label": _("Save")})
    return _site_page(request, site, site_form=form)


@login_required
@require_POST
def site_hours(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    form = OpeningHoursForm(request.POST)
    if form.is_valid():
        try:
            services_catalogue.set_opening_hours(actor=request.user, site=site, hours=form.hours())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[site.pk]), _("Opening hours saved."))
    if request.htmx:
        action = reverse("openlab:manage_site_hours", args=[site.pk])
        return render(
            request, FORM_PARTIAL, {"form": form, "action": action, "submit_label": _("Save hours")}
        )
    return _site_page(request, site, hours_form=form)


@login_required
@require_POST
def closure_add(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    resources = selectors_catalogue.managed_resources_for_user(request.user, site_id=site.pk)
    form = ClosureForm(request.POST, resources=resources)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_catalogue.add_closure(
                actor=request.user,
                site=site,
                resource=data["resource"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[site.pk]), _("Closure added."))
    if request.htmx:
        action = reverse("openlab:manage_closure_add", args=[site.pk])
        return render(request, FORM_PARTIAL, {"form": form, "action": action, "submit_label": _("Close")})
    return _site_page(request, site, closure_form=form)


@login_required
@require_POST
def closure_remove(request: AuthenticatedHttpRequest, closure_id: int) -> HttpResponse:
    _require_manager(request)
    closure = selectors_catalogue.get_managed_closure_for_user(request.user, closure_id)
    services_catalogue.remove_closure(actor=request.user, closure=closure)
    return _done(request, reverse("openlab:manage_site", args=[closure.site_id]), _("Closure removed."))


@login_required
def zone_new(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    _require_manager(request)
    site = selectors_catalogue.get_managed_site_for_user(request.user, site_id)
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_catalogue.save_zone(actor=request.user, site=site, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[site.pk]), _("Zone saved."))
    title = _("New zone at %(site)s") % {"site": site.name}
    return _form_page(
        request, form=form, title=title, action=reverse("openlab:manage_zone_new", args=[site.pk])
    )


@login_required
def zone_edit(request: AuthenticatedHttpRequest, zone_id: int) -> HttpResponse:
    _require_manager(request)
    zone = selectors_catalogue.get_managed_zone_for_user(request.user, zone_id)
    initial = model_to_dict(zone, fields=services_catalogue.ZONE_FIELDS)
    form = ZoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_catalogue.save_zone(actor=request.user, zone=zone, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("openlab:manage_site", args=[zone.site_id]), _("Zone saved."))
    return _form_page(
        request, form=form, title=str(zone), action=reverse("openlab:manage_zone", args=[zone.pk])
    )


@login_required
def resource_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manager(request)
    zones = selectors_catalogue.managed_zones_for_user(request.user)
    zone = request.GET.get("zone", "")
    initial = {"is_active": True, "zone": int(zone) if zone.isdigit() else None, "needs_approval": True}
    form = ResourceForm(request.POST or None, zones=zones, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services_catalogue.save_resource(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            url = reverse("openlab:manage_resource", args=[resource.pk])
            return _done(request, url, _("Resource saved."))
    return _form_page(
        request, form=form, title=_("New resource"), action=reverse("openlab:manage_resource_new")
    )


@login_required
def resource_edit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    """A resource, its booking rules and its active flag (photos: on its calendar page)."""
    _require_manager(request)
    resource = selectors_catalogue.get_managed_resource_for_user(request.user, resource_id)
    zones = selectors_catalogue.managed_zones_for_user(request.user)
    initial = model_to_dict(resource, fields=services_catalogue.RESOURCE_FIELDS)
    form = ResourceForm(request.POST or None, zones=zones, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_catalogue.save_resource(actor=request.user, resource=resource, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            url = reverse("openlab:manage_resource", args=[resource.pk])
            return _done(request, url, _("Resource saved."))
    return _form_page(
        request,
        form=form,
        title=resource.name,
        action=reverse("openlab:manage_resource", args=[resource.pk]),
        extra={"resource": resource},
    )
