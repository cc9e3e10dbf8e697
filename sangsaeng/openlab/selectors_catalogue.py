"""Reads for maintaining the Open Lab's catalogue: every site, zone, resource (inactive ones too) and
closure, for the people who maintain them (permissions.can_manage_resources); empty or 404 for
anyone else."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from sangsaeng.openlab.models import Closure, OpeningHours, Resource, Site, Zone
from sangsaeng.openlab.permissions import can_manage_resources


def managed_sites_for_user(user: Any) -> QuerySet[Site]:
    """Sites with their hours and zones (each zone with its resource count), by name."""
    if not can_manage_resources(user):
        return Site.objects.none()
    return Site.objects.prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday")),
        Prefetch(
            "zones", queryset=Zone.objects.annotate(resource_count=Count("resources")).order_by("name", "pk")
        ),
    ).order_by("name", "pk")


def get_managed_site_for_user(user: Any, site_id: int) -> Site:
    site = managed_sites_for_user(user).filter(pk=site_id).first()
    if site is None:
        raise Http404
    return site


def managed_zones_for_user(user: Any) -> QuerySet[Zone]:
    if not can_manage_resources(user):
        return Zone.objects.none()
    return Zone.objects.select_related("site").order_by("site__name", "name", "pk")


def get_managed_zone_for_user(user: Any, zone_id: int) -> Zone:
    zone = managed_zones_for_user(user).filter(pk=zone_id).first()
    if zone is None:
        raise Http404
    return zone


def managed_resources_for_user(user: Any, *, site_id: int | None = None) -> QuerySet[Resource]:
    """Every resource, inactive ones too, by site, kind and name."""
    if not can_manage_resources(user):
        return Resource.objects.none()
    queryset = Resource.objects.select_related("zone__site")
    if site_id:
        queryset = queryset.filter(zone__site_id=site_id)
    return queryset.order_by("zone__site__name", "kind", "name", "pk")


def get_managed_resource_for_user(user: Any, resource_id: int) -> Resource:
    resource = managed_resources_for_user(user).filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def upcoming_closures_for_user(user: Any, site: Site) -> QuerySet[Closure]:
    """The site's closures that have not ended, soonest first."""
    if not can_manage_resources(user):
        return Closure.objects.none()
    return (
        Closure.objects.filter(site=site, end__gt=timezone.now())
        .select_related("resource")
        .order_by("start", "pk")
    )


def get_managed_closure_for_user(user: Any, closure_id: int) -> Closure:
    if not can_manage_resources(user):
        raise Http404
    closure = Closure.objects.select_related("site", "resource").filter(pk=closure_id).first()
    if closure is None:
        raise Http404
    return closure
