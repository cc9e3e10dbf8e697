from django.urls import path

from sangsaeng.overseas.views import channel, opportunities

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
]
