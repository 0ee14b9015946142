from django.urls import path

from courtexec.command import views_campaigns

urlpatterns = [
    path("", views_campaigns.campaign_list, name="campaigns"),
    path("<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
]
