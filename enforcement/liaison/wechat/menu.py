"""The official account's menu (自定义菜单): my case, contact my judge, report a debtor's property.

WeChat allows at most 4 Chinese characters in a top-level entry and 8 in a sub-entry, so
"举报财产线索" is a sub-entry of "更多服务".
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.translation import pgettext

from enforcement.liaison.wechat.callback import CONTACT_JUDGE


def menu() -> dict:
    """The JSON body of WeChat's ``menu/create``: two links and one click the callback answers."""
    site = settings.WECHAT_SITE_URL
    return {
        "button": [
            {
                "type": "view",
                "name": pgettext("wechat menu", "My case"),  # 我的案件
                "url": urljoin(site, reverse("liaison:portal-home")),
            },
            {
                "type": "click",
                "name": pgettext("wechat menu", "Contact judge"),  # 联系法官
                "key": CONTACT_JUDGE,
            },
            {
                "name": pgettext("wechat menu", "More"),  # 更多服务
                "sub_button": [
                    {
                        "type": "view",
                        "name": pgettext("wechat menu", "Report property"),  # 举报财产线索
                        "url": urljoin(site, reverse("public:tip-form")),
                    }
                ],
            },
        ]
    }
