from django.urls import path
from django.views.generic import TemplateView

app_name = "authoring"

# Scaffolding: replaced by the authoring views.
urlpatterns = [
    path("write/", TemplateView.as_view(template_name="base.html"), name="write"),
    path(
        "me/contributions/",
        TemplateView.as_view(template_name="base.html"),
        name="contributions",
    ),
]
