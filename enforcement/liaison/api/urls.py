from enforcement.liaison.api import urls_messaging, urls_portal, urls_wechat

urlpatterns = [
    *urls_portal.urlpatterns,
    *urls_messaging.urlpatterns,
    *urls_wechat.urlpatterns,
]
