from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("settings/", views.preferences, name="settings"),
    # ``str``: every value, well-formed or not, reaches the same clear refusal.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
