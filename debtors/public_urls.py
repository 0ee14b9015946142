"""Pages anyone may open without signing in: the published list, the tip form, the big screen."""

from django.urls import path

from debtors import exposure_views, public_search
from debtors.tips import views as tip_views

app_name = "public"

urlpatterns = [
    # Exposure: the big screen (曝光大屏)
    path("big-screen/", exposure_views.big_screen, name="big-screen"),
    path("big-screen/data/", exposure_views.big_screen_data, name="big-screen-data"),
    # Tips (举报线索)
    path("tips/", tip_views.public_tip_form, name="tip-form"),
    path("tips/received/", tip_views.public_tip_received, name="tip-received"),
    # Public search (公开查询)
    path("blacklist/", public_search.blacklist_search, name="blacklist"),
]
