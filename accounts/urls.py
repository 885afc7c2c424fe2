from django.urls import path
from django.views.generic import TemplateView

app_name = "accounts"

# Scaffolding: the accounts work replaces these views.
urlpatterns = [
    path("me/account/", TemplateView.as_view(template_name="base.html"), name="account"),
]
