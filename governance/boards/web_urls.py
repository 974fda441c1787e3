"""The boards' pages under /boards/."""

from django.urls import path

from governance.boards import views_decisions

app_name = "boards"
urlpatterns: list = [
    # Votes, conflicts and minutes (views_decisions.py).
    path("matters/<int:matter_id>/vote/", views_decisions.vote, name="vote"),
    path(
        "matters/<int:matter_id>/vote/conflict/",
        views_decisions.vote_conflict,
        name="vote_conflict",
    ),
    path("<int:board_id>/minutes/", views_decisions.minutes_list, name="minutes_list"),
    path("minutes/<int:minutes_id>/", views_decisions.minutes, name="minutes"),
    path(
        "minutes/<int:minutes_id>/approve/",
        views_decisions.minutes_approve,
        name="minutes_approve",
    ),
]
