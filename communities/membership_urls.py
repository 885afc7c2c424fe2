"""Join, leave, request, invite, decide (communities.views)."""

urlpatterns = []
