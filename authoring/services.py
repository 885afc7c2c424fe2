"""Writing on the site: drafts, submission into the review workflow, withdrawal.

Pages are created as drafts owned by the writer and every change is a
Wagtail revision; nothing here can publish. Only the fields listed in the
forms are applied, so crafted POST data (``live``, ``owner``, ``go_live_at``,
``action-publish``...) has nowhere to go.
"""

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState

from accounts.models import ConsentEvent, User
from accounts.services import SHARING_TEXT_VERSION, consent_event_record
from core.models import Audience, CommunityPage, ContentPage, audience_is_narrowing
from core.refusals import Refused
from core.selectors import active_membership_for_update
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
            ngettext(
                "You have started %(limit)s new item today, the most we allow in a day. "
                "Your drafts are safe; you can start another tomorrow.",
                "You have started %(limit)s new items today, the most we allow in a day. "
                "Your drafts are safe; you can start another tomorrow.",
                limit,
            )
            % {"limit": limit}
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
    if limit == NEW_MEMBER_DAILY_SUBMISSIONS:
        message = ngettext(
            "You can send %(limit)s item for review a day while you are new here, and you "
            "have reached that. Your draft is saved; please submit it tomorrow.",
            "You can send %(limit)s items for review a day while you are new here, and you "
            "have reached that. Your draft is saved; please submit it tomorrow.",
            limit,
        )
    else:
        message = ngettext(
            "You can send %(limit)s item for review a day. Your draft is saved; "
            "please submit it tomorrow.",
            "You can send %(limit)s items for review a day. Your draft is saved; "
            "please submit it tomorrow.",
            limit,
        )
    return LimitReached(message % {"limit": limit})


def _audience_of(
    data: Mapping[str, Any], page: ContentPage | None
) -> tuple[str, CommunityPage | None]:
    """The audience a press sends: the form's, or (without one) the newest version's."""
    if "audience" in data:
        return data["audience"], data.get("community")
    if page is None:
        return Audience.EVERYONE, None
    latest = page.get_latest_revision_as_object()
    return latest.audience, latest.community


def community_lock(*, user: User, audience: str, community: CommunityPage | None) -> None:
    """For a community audience: lock ``user``'s membership until the transaction ends.

    Call it FIRST inside the transaction that submits or publishes into the
    community: it is the one lock (``core.selectors.active_membership_for_update``)
    that a removal or a departure takes too, so the two are ordered. Refuses
    (``ContributionRefused``) without an active membership, or when the
    community's rules changed since ``user`` accepted them. Other audiences
    take no lock.
    """
    if audience != Audience.COMMUNITY:
        return
    membership = (
        active_membership_for_update(user=user, community_id=community.pk)
        if community is not None
        else None
    )
    title = community.title if community is not None else _("this community")
    if membership is None:
        raise ContributionRefused(
            _(
                "You are not a member of “%(community)s”, so nothing can be sent there in "
                "your name. Your text is safe: choose another audience for it."
            )
            % {"community": title}
        )
    if not membership.has_accepted_rules():
        raise ContributionRefused(
            _(
                "The rules of “%(community)s” have changed since you accepted them. Accept "
                "the new rules on the community's page, then send your item again."
            )
            % {"community": title}
        )


def _revision_audience_set(
    revision: Revision | None, audience: str, community: CommunityPage | None
) -> None:
    if revision is None:
        return
    revision.content["audience"] = audience
    revision.content["community"] = community.pk if community is not None else None
    revision.save(update_fields=["content"])


def _live_audience_narrow(
    *, user: User, page: ContentPage, audience: str, community: CommunityPage | None
) -> bool:
    """If ``page`` is live and ``audience`` is no wider than its live one, apply it now;
    returns whether anything changed.

    Narrowing reaches nobody new, so it needs no review: the live row, the
    live revision (what a republication would restore) and the newest
    revision all take it at once, and the page's history records it. Going
    back to the live audience from a wider one waiting in the newest version
    is also applied at once, to that version.
    """
    live = page.specific_class.objects.select_for_update().get(pk=page.pk)
    community_id = community.pk if community is not None else None
    if not live.live or not audience_is_narrowing(
        old_audience=live.audience,
        old_community_id=live.community_id,
        new_audience=audience,
        new_community_id=community_id,
    ):
        return False
    live_changed = (live.audience, live.community_id) != (audience, community_id)
    revisions = Revision.objects.filter(
        pk__in={live.live_revision_id, live.latest_revision_id} - {None}
    )
    changed = [
        revision
        for revision in revisions
        if (revision.content.get("audience"), revision.content.get("community"))
        != (audience, community_id)
    ]
    for revision in changed:
        _revision_audience_set(revision, audience, community)
    if not live_changed:
        return bool(changed)
    before = live.audience_label
    live.audience, live.community = audience, community
    # save() rather than update(): search indexes hear the change (the engine filters by it).
    live.save(update_fields=["audience", "community"], clean=False)
    log(
        instance=live,
        action=AUDIENCE_NARROWED,
        user=user,
        data={"from": before, "to": live.audience_label},
    )
    return True


# The history entry of a narrowing applied without review (authoring.wagtail_hooks).
AUDIENCE_NARROWED = "kindred.audience.narrow"
# The history entry of the author's withdrawal of their consent to sharing.
SHARING_WITHDRAWN = "kindred.sharing.withdraw"


def _live_sharing_withdraw(*, user: User, page: ContentPage) -> bool:
    """If ``page`` (its newest version) no longer may be shared but its live row may, apply
    the withdrawal to the live row and the live revision now; returns whether it did.

    Like a narrower audience, a withdrawal of consent reaches nobody new, so
    it needs no review; giving consent waits for review with the rest of the
    version, as a wider audience does.
    """
    if page.may_be_shared:
        return False
    live = page.specific_class.objects.select_for_update().get(pk=page.pk)
    if not live.live or not live.may_be_shared:
        return False
    live.may_be_shared = False
    live.save(update_fields=["may_be_shared"], clean=False)
    if live.live_revision_id is not None:
        revision = Revision.objects.get(pk=live.live_revision_id)
        revision.content["may_be_shared"] = False
        revision.save(update_fields=["content"])
    log(instance=live, action=SHARING_WITHDRAWN, user=user)
    return True


def _sharing_choice_record(
    *, user: User, page: ContentPage, was_shared: bool, data: Mapping[str, Any]
) -> None:
    """The consent ledger's entry when the author turns "may be shared" on or off.

    Compared with the item's newest version (what the author last chose), so
    saving again with the same choice records nothing. A choice made on the
    writing form has that channel; an item made without the field (the demo
    data) takes the kind's default, recorded as Kindred's.
    """
    if page.may_be_shared == was_shared:
        return
    consent_event_record(
        user=user,
        kind=ConsentEvent.Kind.SHARING,
        action=ConsentEvent.Action.GRANT if page.may_be_shared else ConsentEvent.Action.WITHDRAW,
        version=SHARING_TEXT_VERSION,
        scope=f"{ConsentEvent.PAGE_SCOPE}{page.pk}",
        channel=(
            ConsentEvent.Channel.WRITING_FORM
            if "may_be_shared" in data
            else ConsentEvent.Channel.SYSTEM
        ),
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
        _sharing_choice_record(user=user, page=page, was_shared=False, data=data)
    else:
        if contribution_state(page).in_review:
            raise ContributionRefused(
                _("This item is with a reviewer. Withdraw it from review to change it.")
            )
        page = page.get_latest_revision_as_object()
        was_shared = page.may_be_shared
        kind.apply(page, data)
        _sharing_choice_record(user=user, page=page, was_shared=was_shared, data=data)
        draft_address_update(page=page, parent=page.get_parent())
        # A narrower audience for a published item applies at once; a wider
        # one waits in this revision for review like any other change.
        _live_audience_narrow(
            user=user, page=page, audience=page.audience, community=page.community
        )
        _live_sharing_withdraw(user=user, page=page)
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
    audience, community = _audience_of(data, page)
    with transaction.atomic():
        # The membership lock first, before anything else is read for update
        # or written (see community_lock).
        community_lock(user=user, audience=audience, community=community)
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

    Sends the draft as it was saved: no new revision. A draft for a community
    takes the membership lock first (``community_lock``).
    """
    audience, community = _audience_of({}, page)
    community_lock(user=user, audience=audience, community=community)
    state = contribution_state(page)
    if not state.can_submit:
        raise ContributionRefused(
            _("This item is already with a reviewer.")
            if state.in_review
            else _("This item is published and has no changes to send.")
        )
    over_limit = _submission_limit_refusal(user, page)
    if over_limit is not None:
        raise over_limit
    page_submit_latest_for_review(page=page, user=user)


def contribution_withdraw(*, user: User, page: ContentPage) -> None:
    """Take ``user``'s item out of review; it becomes a draft they can edit again."""
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        raise ContributionRefused(_("This item is not in review."))
    workflow_state.cancel(user=user)


class AudienceChange(enum.Enum):
    """What ``contribution_audience_change`` did."""

    UNCHANGED = "unchanged"
    NARROWED = "narrowed"  # applied at once, no review
    SENT_FOR_REVIEW = "sent_for_review"  # a widening: a new version, in review


def contribution_audience_change(
    *, user: User, page: ContentPage, audience: str, community: CommunityPage | None = None
) -> AudienceChange:
    """Change who can read ``user``'s published item ``page``.

    Narrowing (``core.models.audience_is_narrowing`` against the live
    audience) applies at once to the live item and its newest version, with
    no review, and is logged; it is possible at any time, also while a newer
    version waits for a reviewer (taking an item away from readers is never
    held up). A widening reaches new people: it is saved as a new version of
    the newest text and sent into review, and the live item keeps its
    narrower audience until reviewers approve. A community audience takes
    the membership lock first and needs an active membership with the
    current rules accepted (``community_lock``).
    """
    with transaction.atomic():
        community_lock(user=user, audience=audience, community=community)
        if not page.live:
            raise ContributionRefused(
                _("This item is not published yet: choose who can read it in its edit form.")
            )
        community_id = community.pk if community is not None else None
        if audience_is_narrowing(
            old_audience=page.audience,
            old_community_id=page.community_id,
            new_audience=audience,
            new_community_id=community_id,
        ):
            changed = _live_audience_narrow(
                user=user, page=page, audience=audience, community=community
            )
            return AudienceChange.NARROWED if changed else AudienceChange.UNCHANGED
        latest = page.get_latest_revision_as_object()
        if latest.audience == audience and latest.community_id == community_id:
            return AudienceChange.UNCHANGED
        if contribution_state(page).in_review:
            raise ContributionRefused(
                _(
                    "This item is with a reviewer. Withdraw it from review to let more people "
                    "read it."
                )
            )
        over_limit = _submission_limit_refusal(user, page)
        if over_limit is not None:
            raise over_limit
        latest.audience, latest.community = audience, community
        latest.save_revision(user=user, log_action=True)
        page_submit_latest_for_review(page=page, user=user)
    return AudienceChange.SENT_FOR_REVIEW
