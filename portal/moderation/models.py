from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from wagtail.models import AbstractGroupApprovalTask, Page


def is_own_work(obj, user):
    """Whether ``user`` owns or authored ``obj`` (a page), so must not review it."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(obj, "owner_id", None) == user.pk:
        return True
    if hasattr(obj, "author_id"):
        return obj.author_id == user.pk
    return Page.objects.filter(pk=obj.pk, contentpage__author=user).exists()


def own_page_ids(user):
    """A subquery of the ids (as text, like ``WorkflowState.object_id``) of pages ``user``
    owns or wrote: the pages they must never review."""
    return (
        Page.objects.filter(Q(owner=user) | Q(contentpage__author=user))
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .values("pk_text")
    )


# Long enough for a careful review note; bounded so a pasted novel cannot
# bloat the workflow history, the author's email and their notifications.
REVIEW_COMMENT_MAX_LENGTH = 4000


class ReviewCommentForm(forms.Form):
    """The comment a reviewer gives with a decision; the author reads it."""

    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
        help_text="The author sees this comment on the site and in their email.",
    )


class RequestChangesForm(ReviewCommentForm):
    """Requesting changes needs a comment: the author must know what to change."""

    comment = forms.CharField(
        label="Comment",
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
        help_text="Tell the author what to change. They see this on the site and in their email.",
    )


class ReviewTask(AbstractGroupApprovalTask):
    """A group approval step that nobody may perform on their own page.

    Wagtail's group approval lets any member of the group (and any superuser)
    approve, including the page's author. Kindred's reviewers are checked by
    other people, so the author gets no actions, the task never appears in
    their review queue, and a crafted request is refused.
    """

    class Stage(models.TextChoices):
        EDITORIAL = "editorial", "Editorial review"
        MEDICAL = "medical", "Medical review"

    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.EDITORIAL)

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "stage"]

    class Meta:
        verbose_name = "review task"
        verbose_name_plural = "review tasks"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups review the page; nobody reviews their own page."

    def get_actions(self, obj, user):
        if is_own_work(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_form_for_action(self, action):
        return RequestChangesForm if action == "reject" else ReviewCommentForm

    def on_action(self, task_state, user, action_name, **kwargs):
        from portal.moderation.notifications import review_decision_notify

        if is_own_work(task_state.workflow_state.content_object, user):
            raise PermissionDenied("You cannot review your own page.")
        result = super().on_action(task_state, user, action_name, **kwargs)
        if action_name in ("approve", "reject"):
            review_decision_notify(task_state=task_state, action=action_name)
        return result

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # portal.moderation.selectors.review_queue answers the same question for
        # every review task in one query; a test keeps the two in step.
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__object_id__in=own_page_ids(user))
        )
