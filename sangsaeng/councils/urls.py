from django.urls import path

from sangsaeng.councils.views import councils, meetings, tasks

app_name = "councils"

urlpatterns = [
    path("", councils.council_list, name="list"),
    path("new/", councils.council_create, name="create"),
    path("board/", councils.secretariat_board, name="board"),
    path("my-actions/", councils.my_actions, name="my_actions"),
    path("<int:council_id>/", councils.council_detail, name="detail"),
    path("<int:council_id>/apply/", councils.council_apply, name="apply"),
    path("<int:council_id>/members/", councils.member_add, name="member_add"),
    path("<int:council_id>/areas/", councils.area_add, name="area_add"),
    path("<int:council_id>/meetings/new/", meetings.meeting_schedule, name="meeting_schedule"),
    path("<int:council_id>/tasks/new/", tasks.task_propose, name="task_propose"),
    path("<int:council_id>/rounds/new/", tasks.round_open, name="round_open"),
    path("applications/<int:application_id>/decide/", councils.application_decide, name="application_decide"),
    path("members/<int:member_id>/remove/", councils.member_remove, name="member_remove"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/rsvp/", meetings.meeting_rsvp, name="rsvp"),
    path("meetings/<int:meeting_id>/check-in/", meetings.meeting_check_in, name="check_in"),
    path("meetings/<int:meeting_id>/attendance/", meetings.meeting_attendance, name="attendance"),
    path("meetings/<int:meeting_id>/status/", meetings.meeting_status, name="meeting_status"),
    path("meetings/<int:meeting_id>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:meeting_id>/minutes/", meetings.minutes_write, name="minutes_write"),
    path("meetings/<int:meeting_id>/minutes/action/", meetings.minutes_action, name="minutes_action"),
    path("meetings/<int:meeting_id>/minutes/comment/", meetings.minutes_comment, name="minutes_comment"),
    path("meetings/<int:meeting_id>/minutes/diff/", meetings.minutes_diff, name="minutes_diff"),
    path("meetings/<int:meeting_id>/pdf/", meetings.meeting_pdf_view, name="meeting_pdf"),
    path("meetings/<int:meeting_id>/actions/", meetings.action_add, name="action_add"),
    path("agenda/<int:item_id>/attachments/", meetings.agenda_attach, name="agenda_attach"),
    path(
        "agenda/<int:item_id>/attachments/<int:attachment_id>/",
        meetings.agenda_attachment_download,
        name="agenda_attachment",
    ),
    path("actions/<int:action_id>/status/", meetings.action_status, name="action_status"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/comment/", tasks.task_comment, name="task_comment"),
    path(
        "tasks/<int:task_id>/attachments/<int:attachment_id>/",
        tasks.task_attachment_download,
        name="task_attachment",
    ),
    path("tasks/<int:task_id>/use-case/", tasks.task_use_case, name="task_use_case"),
    path("tasks/<int:task_id>/rnd-proposal/", tasks.task_rnd_proposal, name="task_rnd_proposal"),
    path("areas/<int:area_id>/hand-over/", tasks.area_hand_over, name="area_hand_over"),
    path("rounds/<int:round_id>/", tasks.round_detail, name="round"),
    path("rounds/<int:round_id>/ballot/", tasks.round_ballot, name="round_ballot"),
    path("rounds/<int:round_id>/conflict/", tasks.round_conflict, name="round_conflict"),
    path("rounds/<int:round_id>/close/", tasks.round_close, name="round_close"),
]
