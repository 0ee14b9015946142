from django.urls import path

from courtexec.command import views_dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wall/", views.wall, name="wall"),
    path("wall/tiles/", views.wall_tiles, name="wall-tiles"),
    path("tiles/<str:key>/", views.tile, name="tile"),
]
