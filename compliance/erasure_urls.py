"""The erasure pages' addresses (included by compliance.urls)."""

urlpatterns = []
