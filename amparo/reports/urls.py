from django.urls import path

from . import funder_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board/", views.board, name="board"),
    path("board.csv", views.board_csv, name="board-csv"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("funder/", funder_views.funder_list, name="funder"),
    path("funder/<int:grant>/<str:quarter>.pdf", funder_views.funder_pdf, name="funder-pdf"),
]
