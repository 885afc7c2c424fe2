"""A community's moderators' page: its comment queue and reports (communities.moderation)."""

urlpatterns = []
