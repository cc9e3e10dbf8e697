from django.urls import path

from sangsaeng.openlab import views, views_catalogue

app_name = "openlab"

urlpatterns = [
    path("", views.resource_list, name="resources"),
    path("resources/<int:resource_id>/calendar/", views.resource_calendar, name="resource_calendar"),
    path("resources/<int:resource_id>/photos/", views.resource_photo_add, name="resource_photo_add"),
    path("resources/<int:resource_id>/photos/<int:photo_id>/", views.resource_photo, name="resource_photo"),
    path("sites/<int:site_id>/calendar/", views.site_calendar, name="site_calendar"),
    path("availability/", views.availability, name="availability"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/new/", views.booking_new, name="booking_new"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/booking.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:booking_id>/approve/", views.booking_approve, name="booking_approve"),
    path("bookings/<int:booking_id>/reject/", views.booking_reject, name="booking_reject"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/check-in/", views.booking_check_in, name="booking_check_in"),
    path("bookings/<int:booking_id>/complete/", views.booking_complete, name="booking_complete"),
    path("bookings/<int:booking_id>/no-show/", views.booking_no_show, name="booking_no_show"),
    path("waitlist/<int:entry_id>/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("approvals/", views.approvals, name="approvals"),
    path("check-ins/", views.checkins, name="checkins"),
    path("loans/", views.loans, name="loans"),
    path("reports/utilisation/", views.report, name="report"),
    path("reports/utilisation.xlsx", views.report_export, name="report_export"),
    path("manage/", views_catalogue.manage, name="manage"),
    path("manage/sites/new/", views_catalogue.site_new, name="manage_site_new"),
    path("manage/sites/<int:site_id>/", views_catalogue.site_edit, name="manage_site"),
    path("manage/sites/<int:site_id>/hours/", views_catalogue.site_hours, name="manage_site_hours"),
    path("manage/sites/<int:site_id>/closures/", views_catalogue.closure_add, name="manage_closure_add"),
    path("manage/sites/<int:site_id>/zones/new/", views_catalogue.zone_new, name="manage_zone_new"),
    path("manage/zones/<int:zone_id>/", views_catalogue.zone_edit, name="manage_zone"),
    path("manage/resources/new/", views_catalogue.resource_new, name="manage_resource_new"),
    path("manage/resources/<int:resource_id>/", views_catalogue.resource_edit, name="manage_resource"),
    path(
        "manage/closures/<int:closure_id>/remove/",
        views_catalogue.closure_remove,
        name="manage_closure_remove",
    ),
]
