"""Writing on the site: drafts, submission into the review workflow, withdrawal.

Pages are created as drafts owned by the writer and every change is a
Wagtail revision; nothing here can publish. Only the fields listed in the
forms are applied, so crafted POST data (``live``, ``owner``, ``go_live_at``,
``action-publish``...) has nowhere to go.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from wagtail.models import Page, Revision, WorkflowState

from accounts.models import User
from core.models import ContentPage
from core.refusals import Refused
from core.submissions import Submission, submission_claim, submission_done
from moderation.addresses import draft_address_update
from moderation.services import page_submit_latest_for_review

from .kinds import Kind
from .selectors import contribution_state

# Limits against abuse. A "new" member joined recently and has nothing published.
NEW_MEMBER_DAYS = 30
NEW_MEMBER_DAILY_SUBMISSIONS = 3
DAILY_SUBMISSIONS = 10
NEW_MEMBER_DAILY_NEW_ITEMS = 5
DAILY_NEW_ITEMS = 20


class ContributionRefused(Refused):
    """The action is not possible now; the message says why, in words for the writer.

    ``page`` is the item concerned when the refusal comes after it was saved.
    """

    status = 400
    page: ContentPage | None = None


class LimitReached(ContributionRefused):
    """Past one of the day's limits on new items or submissions."""

    status = 429


def is_new_member(user: User) -> bool:
    """Joined in the last ``NEW_MEMBER_DAYS`` days and has nothing published yet."""
    recent = user.date_joined >= timezone.now() - timedelta(days=NEW_MEMBER_DAYS)
    return recent and not Page.objects.filter(contentpage__author=user, live=True).exists()


def _items_started_since(user: User, since: datetime) -> int:
    page_type = ContentType.objects.get_for_model(Page)
    first_revisions = (
        Revision.objects.filter(base_content_type=page_type, user=user)
        .values("object_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=since)
    )
    return first_revisions.count()


def _check_new_item_limit(user: User) -> None:
    limit = NEW_MEMBER_DAILY_NEW_ITEMS if is_new_member(user) else DAILY_NEW_ITEMS
    if _items_started_since(user, timezone.now() - timedelta(days=1)) >= limit:
        raise LimitReached(
            f"You have started {limit} new items today, the most we allow in a day. "
            "Your drafts are safe; you can start another tomorrow."
        )


def _submission_limit_refusal(user: User, page: ContentPage | None) -> LimitReached | None:
    """``LimitReached`` if sending ``page`` (None: a new item) would pass today's limit, else None.

    Sending the same item again (a resubmission) does not count twice.
    """
    limit = NEW_MEMBER_DAILY_SUBMISSIONS if is_new_member(user) else DAILY_SUBMISSIONS
    submitted_today = WorkflowState.objects.filter(
        requested_by=user, created_at__gte=timezone.now() - timedelta(days=1)
    )
    if page is not None:
        submitted_today = submitted_today.exclude(object_id=str(page.pk))
    if submitted_today.values("object_id").distinct().count() < limit:
        return None
    return LimitReached(
        f"You can send {limit} items for review a day while you are new here, and you "
        "have reached that. Your draft is saved; please submit it tomorrow."
        if limit == NEW_MEMBER_DAILY_SUBMISSIONS
        else f"You can send {limit} items for review a day. Your draft is saved; "
        "please submit it tomorrow."
    )


@transaction.atomic
def contribution_save_draft(
    *,
    user: User,
    kind: Kind,
    data: Mapping[str, Any],
    page: ContentPage | None = None,
    submission: Submission | None = None,
) -> ContentPage:
    """Save ``data`` (a cleaned form) as a new draft revision by ``user``; returns the page.

    Without ``page`` a new item is created under the kind's section. An item
    waiting for a reviewer cannot be changed until it is withdrawn. The same
    ``submission`` (``core.submissions``) received again raises
    ``Repeated`` with the page it saved, and writes nothing.
    """
    receipt = submission_claim(user=user, submission=submission)
    if page is None:
        _check_new_item_limit(user)
        # Lock the section row: two members creating items in it at the same
        # instant would otherwise pick the same free address, or the same
        # tree path for the new child, and the second save would fail.
        section = Page.objects.select_for_update().get(pk=kind.section().pk)
        page = kind.model(owner=user, author=user, live=False)
        kind.apply(page, data)
        # The address follows the title until publication (moderation.addresses).
        draft_address_update(page=page, parent=section)
        section.add_child(instance=page)
    else:
        if contribution_state(page).in_review:
            raise ContributionRefused(
                "This item is with a reviewer. Withdraw it from review to change it."
            )
        page = page.get_latest_revision_as_object()
        kind.apply(page, data)
        draft_address_update(page=page, parent=page.get_parent())
    page.save_revision(user=user, log_action=True)
    submission_done(receipt=receipt, created=page)
    return page


def contribution_save_and_submit(
    *,
    user: User,
    kind: Kind,
    data: Mapping[str, Any],
    page: ContentPage | None = None,
    submission: Submission | None = None,
) -> ContentPage:
    """Save ``data`` as the newest version of ``user``'s item and send that version into review.

    One press, one revision, in one transaction: if anything fails or is
    refused, nothing is written. One exception, said in the refusal's own
    words: past the day's submission limit, the text is kept as a draft (one
    revision, nothing sent) and ``LimitReached`` is raised with the saved
    page as its ``page``. Returns the page.
    """
    with transaction.atomic():
        over_limit = _submission_limit_refusal(user, page)
        page = contribution_save_draft(
            user=user, kind=kind, data=data, page=page, submission=submission
        )
        if over_limit is None:
            page_submit_latest_for_review(page=page, user=user)
    if over_limit is not None:
        over_limit.page = page
        raise over_limit
    return page


@transaction.atomic
def contribution_submit(*, user: User, page: ContentPage) -> None:
    """Send the newest saved version of ``user``'s item into editorial then medical review.

    Sends the draft as it was saved: no new revision.
    """
    state = contribution_state(page)
    if not state.can_submit:
        raise ContributionRefused(
            "This item is already with a reviewer."
            if state.in_review
            else "This item is published and has no changes to send."
        )
    over_limit = _submission_limit_refusal(user, page)
    if over_limit is not None:
        raise over_limit
    page_submit_latest_for_review(page=page, user=user)


def contribution_withdraw(*, user: User, page: ContentPage) -> None:
    """Take ``user``'s item out of review; it becomes a draft they can edit again."""
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        raise ContributionRefused("This item is not in review.")
    workflow_state.cancel(user=user)
