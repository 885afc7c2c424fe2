""" "Report a side effect": the page and its form."""

urlpatterns = []
