from django.urls import path

from sangsaeng.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-brn/", views.validate_brn, name="validate_brn"),
    path("me/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_partners, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("import/<uuid:job_id>/report.xlsx", views.import_report, name="import_report"),
    path("<int:partner_id>/", views.detail, name="detail"),
    path("<int:partner_id>/edit/", views.edit, name="edit"),
    path("<int:partner_id>/decide/", views.decide, name="decide"),
    path("<int:partner_id>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:partner_id>/fields/", views.set_fields, name="fields"),
    path("<int:partner_id>/members/", views.members, name="members"),
    path("<int:partner_id>/contacts/", views.contacts, name="contacts"),
    path("<int:partner_id>/contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path("<int:partner_id>/contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("<int:partner_id>/documents/", views.document_upload, name="documents"),
    path("<int:partner_id>/documents/<int:document_id>/", views.document_download, name="document_download"),
    path(
        "<int:partner_id>/documents/<int:document_id>/delete/", views.document_delete, name="document_delete"
    ),
]
