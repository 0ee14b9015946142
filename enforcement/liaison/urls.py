from enforcement.liaison import urls_messaging, urls_portal, urls_wechat

app_name = "liaison"

urlpatterns = [
    *urls_portal.urlpatterns,
    *urls_messaging.urlpatterns,
    *urls_wechat.urlpatterns,
]
