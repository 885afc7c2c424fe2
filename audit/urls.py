from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("me/access/", views.my_access, name="mine"),
]
