from django.urls import path

from sangsaeng.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job_status"),
]
