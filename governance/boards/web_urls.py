"""The boards' pages under /boards/."""

from django.urls import path

from governance.boards import views_decisions, views_matters, views_seats

app_name = "boards"
urlpatterns: list = [
    path("<int:board_id>/matters/", views_matters.matters, name="matters"),
    path("matters/<int:matter_id>/", views_matters.matter, name="matter"),
    path(
        "matters/<int:matter_id>/transitions/<str:name>/",
        views_matters.matter_transition,
        name="matter_transition",
    ),
    path(
        "matters/<int:matter_id>/progress-notes/",
        views_matters.progress_note,
        name="matter_progress_note",
    ),
    path("hubs/<int:hub_id>/matters/new/", views_matters.matter_new, name="matter_new"),
    path("matters/<int:matter_id>/vote/open/", views_matters.vote_open, name="vote_open"),
    path("<int:board_id>/meetings/", views_matters.meetings, name="meetings"),
    path("<int:board_id>/meetings/new/", views_matters.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views_matters.meeting, name="meeting"),
    path(
        "meetings/<int:meeting_id>/agenda/remove/",
        views_matters.meeting_agenda_remove,
        name="meeting_agenda_remove",
    ),
    path(
        "meetings/<int:meeting_id>/motions/",
        views_matters.meeting_motion,
        name="meeting_motion",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/",
        views_matters.meeting_agenda_add,
        name="meeting_agenda_add",
    ),
    path(
        "meetings/<int:meeting_id>/attendance/",
        views_matters.meeting_attendance,
        name="meeting_attendance",
    ),
    path("meetings/<int:meeting_id>/invite/", views_matters.meeting_invite, name="meeting_invite"),
    # --- seats ---
    path("", views_seats.board_index, name="index"),
    path("<int:board_id>/", views_seats.board_detail, name="board"),
    path("<int:board_id>/settings/", views_seats.board_settings, name="board_settings"),
    path(
        "<int:board_id>/seats/<int:seat_id>/holders/",
        views_seats.holder_add,
        name="holder_add",
    ),
    path(
        "<int:board_id>/holders/<int:holder_id>/end/",
        views_seats.holder_end,
        name="holder_end",
    ),
    # Votes, conflicts and minutes (views_decisions.py).
    path("matters/<int:matter_id>/vote/", views_decisions.vote, name="vote"),
    path(
        "matters/<int:matter_id>/vote/conflict/",
        views_decisions.vote_conflict,
        name="vote_conflict",
    ),
    path("matters/<int:matter_id>/vote/extend/", views_decisions.vote_extend, name="vote_extend"),
    path("matters/<int:matter_id>/vote/close/", views_decisions.vote_close, name="vote_close"),
    path("matters/<int:matter_id>/vote/record/", views_decisions.vote_record, name="vote_record"),
    path("<int:board_id>/minutes/", views_decisions.minutes_list, name="minutes_list"),
    path("minutes/<int:minutes_id>/", views_decisions.minutes, name="minutes"),
    path(
        "minutes/<int:minutes_id>/approve/",
        views_decisions.minutes_approve,
        name="minutes_approve",
    ),
    path(
        "minutes/<int:minutes_id>/adjusters/",
        views_decisions.minutes_adjusters,
        name="minutes_adjusters",
    ),
]
