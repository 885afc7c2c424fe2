"""A community's moderators' page: its comment queue and reports (communities.moderation)."""

from django.urls import path

from . import moderation

urlpatterns = [
    path("<str:slug>/moderate/", moderation.queue, name="moderate"),
    # POST: one decision about one comment (fields: comment, action).
    path("<str:slug>/moderate/comments/", moderation.comment_decide, name="moderate_comment"),
]
