"""The boards' pages under /boards/."""

from django.urls import path

from governance.boards import views_seats

app_name = "boards"
urlpatterns: list = [
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
]
