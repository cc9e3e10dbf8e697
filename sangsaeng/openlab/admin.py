"""Lab set-up (sites, hours, zones, resources with their rules, closures) through the Django admin."""

from django.contrib import admin

from sangsaeng.openlab.models import Closure, OpeningHours, Resource, Site, Zone


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    inlines = [OpeningHoursInline]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "site", "kind")
    list_filter = ("site", "kind")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "zone", "capacity", "needs_approval", "monthly_quota_hours", "is_active")
    list_filter = ("kind", "zone__site", "needs_approval", "is_active")
    search_fields = ("name", "features")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("site", "resource", "start", "end", "reason")
    list_filter = ("site",)
