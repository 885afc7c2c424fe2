from django.urls import path

from . import views

app_name = "authoring"

urlpatterns = [
    path("write/", views.write, name="write"),
    path("write/<slug:kind>/", views.write_new, name="write_new"),
    path("me/contributions/", views.contributions, name="contributions"),
    path("me/contributions/<int:pk>/edit/", views.edit, name="edit"),
    path("me/contributions/<int:pk>/audience/", views.audience, name="audience"),
    path("me/contributions/<int:pk>/preview/", views.preview, name="preview"),
    path("me/contributions/<int:pk>/submit/", views.submit, name="submit"),
    path("me/contributions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
