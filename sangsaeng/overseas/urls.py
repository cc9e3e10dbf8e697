from django.urls import path

from sangsaeng.overseas.views import applications, channel, exhibitions, opportunities, reports

app_name = "overseas"

urlpatterns = [
    path("proposals/", channel.proposal_list, name="proposals"),
    path("proposals/new/", channel.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", channel.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/answer/", channel.proposal_answer, name="proposal_answer"),
    path("proposals/<int:proposal_id>/withdraw/", channel.proposal_withdraw, name="proposal_withdraw"),
    path("opportunities/", opportunities.opportunity_list, name="opportunities"),
    path("opportunities/new/", opportunities.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:opportunity_id>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path(
        "opportunities/<int:opportunity_id>/interest/",
        opportunities.opportunity_interest,
        name="opportunity_interest",
    ),
    path(
        "opportunities/<int:opportunity_id>/close/", opportunities.opportunity_close, name="opportunity_close"
    ),
    path(
        "opportunities/<int:opportunity_id>/shortlist/",
        opportunities.opportunity_shortlist,
        name="opportunity_shortlist",
    ),
    path("interests/<int:interest_id>/decline/", opportunities.interest_decline, name="interest_decline"),
    path("exhibitions/", exhibitions.exhibition_list, name="exhibitions"),
    path("exhibitions/new/", exhibitions.exhibition_new, name="exhibition_new"),
    path("exhibitions/<int:exhibition_id>/", exhibitions.exhibition_detail, name="exhibition_detail"),
    path("exhibitions/<int:exhibition_id>/apply/", exhibitions.exhibition_apply, name="exhibition_apply"),
    path("exhibitions/<int:exhibition_id>/select/", exhibitions.exhibition_select, name="exhibition_select"),
    path("exhibitions/<int:exhibition_id>/move/", exhibitions.exhibition_move, name="exhibition_move"),
    path("applications/<int:application_id>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:application_id>/score/", applications.application_score, name="application_score"
    ),
    path(
        "applications/<int:application_id>/decide/",
        applications.application_decide,
        name="application_decide",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:application_id>/sign/", applications.application_sign, name="application_sign"),
    path(
        "applications/<int:application_id>/claims/", applications.application_claim, name="application_claim"
    ),
    path(
        "applications/<int:application_id>/outcome/",
        applications.application_outcome,
        name="application_outcome",
    ),
    path(
        "applications/<int:application_id>/exports/",
        applications.application_export,
        name="application_export",
    ),
    path("claims/<int:claim_id>/decide/", applications.claim_decide, name="claim_decide"),
    path("claims/<int:claim_id>/receipt/", applications.claim_receipt, name="claim_receipt"),
    path("record/", reports.my_record, name="my_record"),
    path("partners/<int:partner_id>/record/", reports.partner_record, name="partner_record"),
    path("exhibitions/<int:exhibition_id>/report/", reports.exhibition_report, name="exhibition_report"),
    path(
        "exhibitions/<int:exhibition_id>/report/export/",
        reports.exhibition_report_export,
        name="exhibition_report_export",
    ),
    path("reports/year/", reports.year_report, name="year_report"),
    path("reports/year/export/", reports.year_report_export, name="year_report_export"),
    path("exchange-rates/", reports.exchange_rates, name="exchange_rates"),
]
