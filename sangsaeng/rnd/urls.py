from django.urls import path

from sangsaeng.rnd.views import manage, partner, review

app_name = "rnd"

urlpatterns = [
    path("", partner.my_proposals, name="my_proposals"),
    path("calls/<int:call_id>/new-proposal/", partner.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", partner.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/edit/", partner.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/submit/", partner.proposal_submit, name="proposal_submit"),
    path("proposals/<int:proposal_id>/withdraw/", partner.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:proposal_id>/attachments/", partner.proposal_attach, name="proposal_attach"),
    path(
        "proposals/<int:proposal_id>/attachments/<int:attachment_id>/",
        partner.attachment_download,
        name="attachment_download",
    ),
    path("proposals/<int:proposal_id>/override/", manage.proposal_override, name="proposal_override"),
    path("proposals/<int:proposal_id>/agreement/", manage.proposal_agreement, name="proposal_agreement"),
    path("agreements/", partner.agreements, name="agreements"),
    path("agreements/<int:agreement_id>/results/", partner.result_add, name="result_add"),
    path(
        "agreements/<int:agreement_id>/milestones/<int:milestone_id>/submit/",
        partner.milestone_submit,
        name="milestone_submit",
    ),
    path(
        "agreements/<int:agreement_id>/milestones/<int:milestone_id>/file/",
        partner.milestone_file,
        name="milestone_file",
    ),
    path(
        "agreements/<int:agreement_id>/milestones/<int:milestone_id>/accept/",
        manage.milestone_accept,
        name="milestone_accept",
    ),
    path(
        "agreements/<int:agreement_id>/milestones/<int:milestone_id>/return/",
        manage.milestone_return,
        name="milestone_return",
    ),
    path("reviews/", review.my_reviews, name="my_reviews"),
    path("reviews/<int:assignment_id>/", review.review, name="review"),
    path("manage/", manage.manage, name="manage"),
    path("manage/export/", manage.export, name="export"),
    path("manage/funds/new/", manage.fund_new, name="fund_new"),
    path("manage/years/<int:fund_year_id>/budget/", manage.year_budget, name="year_budget"),
    path("manage/years/<int:fund_year_id>/carry-over/", manage.year_carry_over, name="year_carry_over"),
    path("calls/new/", manage.call_new, name="call_new"),
    path("calls/<int:call_id>/", manage.call_detail, name="call_detail"),
    path("calls/<int:call_id>/progress/", manage.call_progress, name="call_progress"),
    path("calls/<int:call_id>/assign/", manage.call_assign, name="call_assign"),
    path("calls/<int:call_id>/rules/", manage.call_rules, name="call_rules"),
    path("calls/<int:call_id>/edit/", manage.call_edit, name="call_edit"),
    path("calls/<int:call_id>/auto-assign/", manage.call_auto_assign, name="call_auto_assign"),
    path("calls/<int:call_id>/selection/", manage.call_selection, name="call_selection"),
    path("calls/<int:call_id>/selection/<int:run_id>/apply/", manage.call_apply, name="call_apply"),
    path("calls/<int:call_id>/exclusive-pairs/", manage.pair_add, name="pair_add"),
    path("calls/<int:call_id>/exclusive-pairs/<int:pair_id>/remove/", manage.pair_remove, name="pair_remove"),
    path("calls/<int:call_id>/publish/", manage.call_publish, name="call_publish"),
]
