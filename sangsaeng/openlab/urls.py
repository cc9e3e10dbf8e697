from django.urls import path

from sangsaeng.openlab import views

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
]
