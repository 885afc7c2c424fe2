"""The erasure pages' addresses (included by compliance.urls)."""

from django.urls import path

from compliance import erasure_views

urlpatterns = [
    path("me/account/delete/", erasure_views.erasure_request, name="erasure"),
]
