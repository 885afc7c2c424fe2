from django.urls import path

from accounts import views
from core import consent

app_name = "accounts"

urlpatterns = [
    path("me/account/", views.account, name="account"),
    path(
        "me/account/consent/<str:kind>/give/",
        views.consent_give_view,
        name="consent_give",
    ),
    path(
        "me/account/consent/health-data/withdraw/",
        views.health_data_withdraw,
        name="health_data_withdraw",
    ),
    path("welcome/", views.welcome, name="welcome"),
    path("welcome/profile/", views.welcome_visibility_view, name="welcome_visibility"),
    path("welcome/start/", views.welcome_start, name="welcome_start"),
    path(
        "guidelines/",
        views.consent_text,
        {"kind": consent.GUIDELINES},
        name="guidelines",
    ),
    path(
        "privacy/health-data/",
        views.consent_text,
        {"kind": consent.HEALTH_DATA},
        name="health_data_policy",
    ),
]
