"""What a community moderator posts from the moderators' page: a comment and a decision.

Parsing only: which comments a moderator may decide about is
``discussion.selectors.community_queue_comment``'s, what a decision does is
``discussion.services.comment_moderate``'s.
"""

from django import forms
from django.utils.translation import gettext_lazy

from discussion.selectors import MAX_ID
from discussion.services import Action

# What the page offers: held comments are approved or removed, reported ones
# kept (their reports dismissed) or removed. Hiding is the Editors' tool.
DECISIONS = [
    (Action.APPROVE, gettext_lazy("Approve")),
    (Action.DISMISS, gettext_lazy("Dismiss the reports")),
    (Action.REMOVE, gettext_lazy("Remove")),
]


class CommentDecisionForm(forms.Form):
    comment = forms.IntegerField(min_value=1, max_value=MAX_ID)
    action = forms.ChoiceField(choices=DECISIONS)
