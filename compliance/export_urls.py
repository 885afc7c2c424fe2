"""The export pages' addresses (included by compliance.urls)."""

urlpatterns = []
