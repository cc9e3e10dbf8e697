from django.urls import path

from sangsaeng.usecases import views

app_name = "usecases"

urlpatterns = [
    path("", views.use_case_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("board/", views.board, name="board"),
    path("showcase/", views.showcase, name="showcase"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
    path("<int:use_case_id>/", views.detail, name="detail"),
    path("<int:use_case_id>/decide/", views.decide, name="decide"),
    path("<int:use_case_id>/sponsor/", views.assign_sponsor, name="assign_sponsor"),
    path("<int:use_case_id>/shelf/", views.shelve, name="shelve"),
    path("<int:use_case_id>/attachments/", views.attach, name="attach"),
    path(
        "<int:use_case_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
