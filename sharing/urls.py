from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("<int:page_id>/<str:network>/", views.share, name="share"),
    path("continue/", views.share_continue, name="continue"),
]
