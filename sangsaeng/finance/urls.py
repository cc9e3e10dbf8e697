from django.urls import path

from sangsaeng.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.applications, name="applications"),
    path("apply/", views.apply, name="apply"),
    path("simulate/", views.simulate, name="simulate"),
    path("review/", views.review_queue, name="review_queue"),
    path("bank/", views.bank_queue, name="bank_queue"),
    path("bank/file.xlsx", views.bank_export, name="bank_export"),
    path("bank/import/", views.bank_import, name="bank_import"),
    path("loans.xlsx", views.loans_export, name="loans_export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("grades/", views.grades, name="grades"),
    path("applications/<int:application_id>/", views.application, name="application"),
    path("applications/<int:application_id>/documents/", views.add_document, name="add_document"),
    path("applications/<int:application_id>/documents/<int:document_id>/", views.document, name="document"),
    path("applications/<int:application_id>/letter/", views.letter, name="letter"),
    path("applications/<int:application_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("applications/<int:application_id>/recommend/", views.recommend, name="recommend"),
    path("applications/<int:application_id>/reject/", views.reject, name="reject"),
    path("applications/<int:application_id>/approve/", views.bank_approve, name="bank_approve"),
    path("applications/<int:application_id>/decline/", views.bank_reject, name="bank_reject"),
    path("applications/<int:application_id>/disburse/", views.disburse, name="disburse"),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:loan_id>/", views.loan, name="loan"),
    path("loans/<int:loan_id>/repay/", views.repay, name="repay"),
    path(
        "loans/<int:loan_id>/repayments/<int:repayment_id>/correct/",
        views.correct_repayment,
        name="correct_repayment",
    ),
    path("sharing/", views.tasks, name="sharing_tasks"),
    path("sharing/points/", views.points, name="sharing_points"),
    path("sharing/<int:task_id>/", views.task, name="sharing_task"),
    path("sharing/<int:task_id>/evidence.zip", views.evidence_pack, name="sharing_evidence"),
    path("sharing/<int:task_id>/status/", views.task_status, name="sharing_status"),
    path("sharing/<int:task_id>/amendments/", views.propose_amendment, name="sharing_propose"),
    path("sharing/<int:task_id>/measurements/", views.record_measurement, name="sharing_measure"),
    path("sharing/amendments/<int:amendment_id>/answer/", views.answer_amendment, name="sharing_answer"),
    path("sharing/payouts/<int:payout_id>/settle/", views.settle_payout, name="sharing_settle"),
]
