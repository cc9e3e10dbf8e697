from django.urls import path

from sangsaeng.overseas.views import channel

app_name = "overseas"

urlpatterns = [
    path("proposals/", channel.proposal_list, name="proposals"),
    path("proposals/new/", channel.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", channel.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/answer/", channel.proposal_answer, name="proposal_answer"),
    path("proposals/<int:proposal_id>/withdraw/", channel.proposal_withdraw, name="proposal_withdraw"),
]
