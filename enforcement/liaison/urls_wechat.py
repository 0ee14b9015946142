"""Pages of the liaison station: the WeChat official account's callback and binding."""

from django.urls import path

from enforcement.liaison.wechat import views

urlpatterns: list = [
    path("wechat/callback/", views.wechat_callback, name="wechat-callback"),
    path("wechat/bind/", views.wechat_bind, name="wechat-bind"),
]
