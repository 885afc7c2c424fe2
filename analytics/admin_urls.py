from django.urls import path

from . import views

app_name = "kindred_analytics"

urlpatterns = [
    path("review/", views.review_analytics, name="review"),
    path("community/", views.community_analytics, name="community"),
]
