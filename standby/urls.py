"""Staff pages of the standby section (备勤): roster, my shifts, swaps, callouts, figures."""

from django.urls import path

from standby import views_board

app_name = "standby"

urlpatterns: list = [
    # --- Board and figures (figures slice) ---
    path("", views_board.board, name="board"),
]
