"""API of the liaison station: wechat."""

from django.urls import path

from enforcement.liaison.wechat.api import WechatBindingView

urlpatterns: list = [
    path("wechat/binding/", WechatBindingView.as_view(), name="liaison-wechat-binding"),
]
