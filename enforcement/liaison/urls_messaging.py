"""Pages of the liaison station: messaging."""

from django.urls import path

from enforcement.liaison import views_messaging as views

urlpatterns: list = [
    # --- the party's side ---
    path("portal/cases/<int:case_pk>/messages/", views.portal_thread, name="portal-thread"),
    path("portal/attachments/<int:pk>/", views.portal_attachment, name="portal-attachment"),
    # --- the court's side ---
    path("threads/", views.inbox, name="threads"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("cases/<int:pk>/messages/", views.case_tab, name="case-messages"),
    path("reply-times/", views.reply_times, name="reply-times"),
]
