import json
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask, Page, TaskState


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


# What differs between two revisions of the same text: bookkeeping, the keys
# the rich-text editor adds to every paragraph, and the ids of child rows
# (tags), which are written afresh on every save.
_BOOKKEEPING = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "live_revision",
    "locked",
    "locked_at",
    "locked_by",
}
_BLOCK_KEY = re.compile(r' data-block-key=\\?"[^"\\]*\\?"')


def _comparable(value):
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in _BOOKKEEPING}
    if isinstance(value, list):
        items = [
            _comparable({k: v for k, v in item.items() if k != "pk"})
            if isinstance(item, dict)
            else _comparable(item)
            for item in value
        ]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))
    if isinstance(value, str):
        return _BLOCK_KEY.sub("", value)
    return value


_AUDIENCE_KEYS = ("audience", "community")


def _narrowed_only(before: dict, after: dict) -> bool:
    """Whether ``after`` differs from ``before`` in its audience, and only by narrowing it."""
    from core.models import audience_is_narrowing

    audiences = [content.get("audience") for content in (before, after)]
    if None in audiences or (before.get("audience"), before.get("community")) == (
        after.get("audience"),
        after.get("community"),
    ):
        return False
    try:
        return audience_is_narrowing(
            old_audience=before["audience"],
            old_community_id=before.get("community"),
            new_audience=after["audience"],
            new_community_id=after.get("community"),
        )
    except KeyError:  # an unknown audience is a change like any other
        return False


def same_text(revision, other):
    """Whether two revisions hold the same content, whatever their bookkeeping.

    A narrower audience in ``other`` (a reviewer narrowing it in the editor)
    counts as the same text: narrowing reaches nobody new, so it needs no
    approval again (issue 12).
    """
    before, after = revision.content, other.content
    if _narrowed_only(before, after):
        before = {k: v for k, v in before.items() if k not in _AUDIENCE_KEYS}
        after = {k: v for k, v in after.items() if k not in _AUDIENCE_KEYS}
    return _comparable(before) == _comparable(after)


def adopt_identical_revision(task_state):
    """Count the review so far for the page's latest revision if its content is the same.

    Wagtail's page editor saves a new revision before acting on "Approve" whenever
    its form differs from the stored one, and its rich-text editor adds keys to
    every paragraph written on the site: with re-approval on edit, each approval
    in the editor sent the item back to the first step. A revision with the same
    text is the version that was reviewed, so this step and the approvals before
    it move onto it; a real edit still needs approval again.
    """
    page = task_state.workflow_state.content_object
    latest = page.get_latest_revision()
    if latest is None or latest.pk == task_state.revision_id:
        return
    states = task_state.workflow_state.task_states.filter(
        status__in=(TaskState.STATUS_IN_PROGRESS, TaskState.STATUS_APPROVED)
    ).select_related("revision")
    for state in states:
        if state.revision_id != latest.pk and same_text(state.revision, latest):
            TaskState.objects.filter(pk=state.pk).update(revision=latest)
            if state.pk == task_state.pk:
                task_state.revision = latest


# Long enough for a careful review note; bounded so a pasted novel cannot
# bloat the workflow history, the author's email and their notifications.
REVIEW_COMMENT_MAX_LENGTH = 4000


def _comment_field(help_text, *, required=False):
    return forms.CharField(
        label=_("Comment"),
        required=required,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea({"rows": 4}),
        help_text=help_text,
    )


class ReviewCommentForm(forms.Form):
    """A comment the author reads: given with the medical approval that publishes."""

    comment = _comment_field(_("The author sees this comment on the site and in their email."))


class ReviewerNoteForm(ReviewCommentForm):
    """An editorial approval's comment: a note for the next reviewer, not for the author."""

    comment = _comment_field(
        _(
            "A note for the medical reviewer, kept in the page's history. The author does "
            "not see it: to tell the author something, request changes."
        )
    )


class RequestChangesForm(ReviewCommentForm):
    """Requesting changes needs a comment: the author must know what to change."""

    comment = _comment_field(
        _("Tell the author what to change. They see this on the site and in their email."),
        required=True,
    )


class ReviewTask(AbstractGroupApprovalTask):
    """A group approval step that nobody may perform on their own page.

    Wagtail's group approval lets any member of the group (and any superuser)
    approve, including the page's author. Kindred's reviewers are checked by
    other people, so the author gets no actions, the task never appears in
    their review queue, and a crafted request is refused.
    """

    class Stage(models.TextChoices):
        EDITORIAL = "editorial", _("Editorial review")
        MEDICAL = "medical", _("Medical review")

    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.EDITORIAL)

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "stage"]

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups review the page; nobody reviews their own page.")

    def get_actions(self, obj, user):
        if is_own_work(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_form_for_action(self, action):
        if action == "reject":
            return RequestChangesForm
        return ReviewCommentForm if self.comment_reaches_author(approved=True) else ReviewerNoteForm

    def comment_reaches_author(self, *, approved):
        """Whether a comment given with this step's decision is for the author.

        A request for changes is, at either step; so is the medical approval that
        publishes. An editorial approval's comment is a note for the medical
        reviewer (what was checked, what to look at) and stays in the admin.
        """
        return not approved or self.stage == self.Stage.MEDICAL

    def on_action(self, task_state, user, action_name, **kwargs):
        # Authors hear of the decision from Wagtail's task_approved, task_rejected and
        # workflow_approved signals (social.notifications.signals), not from here.
        if is_own_work(task_state.workflow_state.content_object, user):
            raise PermissionDenied(_("You cannot review your own page."))
        if action_name == "approve":
            adopt_identical_revision(task_state)
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # moderation.selectors.review_queue answers the same question for
        # every review task in one query; a test keeps the two in step.
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__object_id__in=own_page_ids(user))
        )
