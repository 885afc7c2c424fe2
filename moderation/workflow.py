"""What happens when a page has passed every review step.

Wagtail imports this module while it defines its own models
(``WAGTAIL_FINISH_WORKFLOW_ACTION``), so model imports happen inside the
functions.

Apps above moderation may stop a publication without moderation importing
them: each function registered under ``PUBLICATION_VETO`` is asked first
(``accounts.wagtail_hooks`` refuses the pages of authors who withdrew their
health-data consent).
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail import hooks

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from wagtail.models import Page, Revision, TaskState, WorkflowState

# ``fn(page) -> str | None``: the reason ``page`` must not be published, or None.
# The first reason given refuses the approval (PermissionDenied with that reason).
PUBLICATION_VETO = "kindred_publication_veto"


class PublicationVetoed(PermissionDenied):
    """An approval refused because the item may not be published; the message says why."""


def community_veto(revision: "Revision", *, lock: bool = True) -> str | None:
    """Why ``revision`` may not be published in its community, or None.

    An item for a community is published only while its author is an active
    member there. With ``lock`` (the default, inside the publishing
    transaction) the author's membership row is locked first
    (``core.selectors.active_membership_for_update``), the lock a removal
    and a departure take too: a removal either waits for the publication
    (and sees the item live) or finishes first (and the approval is refused).
    Without ``lock`` it only reads, to warn a reviewer before they decide.
    """
    from django.contrib.auth import get_user_model

    from core.models import Audience, CommunityMembership, CommunityPage
    from core.selectors import active_membership_for_update

    content = revision.content
    if content.get("audience") != Audience.COMMUNITY:
        return None
    community_id, author_id = content.get("community"), content.get("author")
    community = CommunityPage.objects.filter(pk=community_id).first()
    author = get_user_model().objects.filter(pk=author_id).first() if author_id else None
    if community is not None and author is not None:
        membership = (
            active_membership_for_update(user=author, community_id=community.pk)
            if lock
            else CommunityMembership.objects.filter(
                user=author, community=community, state=CommunityMembership.State.ACTIVE
            ).first()
        )
        if membership is not None:
            return None
    if community is None:
        return _(
            "This item is for the members of its community, and its author is no longer a "
            "member there, so it cannot be published in that community. Request changes to "
            "ask the author to choose another audience."
        )
    return _(
        "This item is for the members of “%(community)s”, and its author is no longer a "
        "member there, so it cannot be published in that community. Request changes to ask "
        "the author to choose another audience."
    ) % {"community": community.title}


def publication_veto(page: "Page") -> str | None:
    """The first reason a registered ``PUBLICATION_VETO`` hook gives against publishing ``page``."""
    for veto in hooks.get_hooks(PUBLICATION_VETO):
        reason = veto(page)
        if reason:
            return reason
    return None


def medical_approval(workflow_state: "WorkflowState", revision: "Revision") -> "TaskState | None":
    """The approved medical-review task state for ``revision`` in this workflow, if any."""
    from wagtail.models import TaskState

    from moderation.models import ReviewTask

    return (
        workflow_state.task_states.filter(
            status=TaskState.STATUS_APPROVED,
            revision=revision,
            task__reviewtask__stage=ReviewTask.Stage.MEDICAL,
        )
        .order_by("-finished_at")
        .first()
    )


def publish_reviewed(
    workflow_state: "WorkflowState", user: "AbstractBaseUser | None" = None
) -> None:
    """Publish the approved revision, recording its medical review on it first.

    Wagtail calls this when the last task is approved. Writing the reviewer
    into the revision itself, rather than onto the live row afterwards, keeps
    the "medically reviewed" line part of exactly the version that was
    reviewed, and keeps it in the page history. Every content type carries
    the record (``ContentPage``); a workflow without a medical step leaves it
    empty, and the page then says it was not medically reviewed. Refused
    (``PublicationVetoed``) when the author is no longer a member of the
    item's community (``community_veto``, under the membership lock) or a
    ``PUBLICATION_VETO`` hook gives a reason.
    """
    with transaction.atomic():
        _publish_reviewed(workflow_state, user)


def _publish_reviewed(workflow_state: "WorkflowState", user: "AbstractBaseUser | None") -> None:
    from core.models.mixins import MedicalReviewMixin
    from moderation.addresses import revision_address_update

    page = workflow_state.content_object.specific
    revision = workflow_state.content_object.get_latest_revision()
    # The membership lock first (community_veto), then the features' vetoes.
    reason = community_veto(revision) or publication_veto(page)
    if reason:
        # A veto wins over the reviewers' approvals (for example an editor pushing
        # a withdrawn member's draft through the admin). Raising rolls the approval back.
        raise PublicationVetoed(reason)
    # The address comes from the title as approved, never from words since
    # removed from it (issue 10, finding 3).
    revision_address_update(revision)
    model = revision.content_type.model_class()
    if issubclass(model, MedicalReviewMixin):
        approval = medical_approval(workflow_state, revision)
        if approval is not None:
            revision.content["medically_reviewed_by"] = approval.finished_by_id
            revision.content["medically_reviewed_at"] = approval.finished_at.isoformat()
            revision.save(update_fields=["content"])
    # The approval is the authority to publish: reviewers deliberately hold no
    # publish permission (nobody may publish around the workflow), so Wagtail's
    # own permission check would refuse them.
    revision.publish(user=user, skip_permission_checks=True)
