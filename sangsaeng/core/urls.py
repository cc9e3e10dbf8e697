from django.urls import path

from sangsaeng.core import docs_views, views

app_name = "core"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/badge/", views.unread_badge, name="unread_badge"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job_status"),
    path("audit/", views.audit_events, name="audit_events"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("audit/personal-data/", views.personal_data_log, name="personal_data_log"),
    path("audit/personal-data/export.xlsx", views.personal_data_export, name="personal_data_export"),
    path("docs/workflows/", docs_views.workflows, name="workflows"),
]
