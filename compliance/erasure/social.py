"""The member's profile, picture, handles, relations, notifications, ratings and memberships."""

from django.db import models
from django.db.models import Q

from core.models import CommunityMembership, ContentPage
from questions.models import ExpertVerification, HelpfulMark, QuestionClaim
from ratings.models import RaterBrowser, Rating
from ratings.services import rating_summary_rebuild, ratings_delete_for_user
from social.models import (
    MemberBlock,
    MemberFollow,
    MemberMute,
    Notification,
    NotificationPreference,
    Profile,
    ProfileHandle,
    TopicFollow,
)

from . import Erasure


def _deleted(queryset: models.QuerySet) -> int:
    """How many rows of the queryset's own model a delete removed (cascades not counted)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def profile_erase(erasure: Erasure) -> None:
    """The profile, every handle it ever had, and the picture's file (after commit)."""
    profile = Profile.objects.filter(user=erasure.user).first()
    if profile is None:
        return
    erasure.needle(profile.handle)
    for handle in ProfileHandle.objects.filter(profile=profile).values_list("handle", flat=True):
        erasure.needle(handle)
    if profile.avatar:
        erasure.files.append((profile.avatar.storage, profile.avatar.name))
        erasure.add("avatar_files", 1)
    erasure.add("profile_handles", _deleted(ProfileHandle.objects.filter(profile=profile)))
    # Conditions and other many-to-many rows of the profile go with it.
    erasure.add("profiles", _deleted(Profile.objects.filter(pk=profile.pk)))


def relations_erase(erasure: Erasure) -> None:
    """Follows, blocks and mutes, both ways; the topics the member followed."""
    user = erasure.user
    erasure.add(
        "follows", _deleted(MemberFollow.objects.filter(Q(follower=user) | Q(followee=user)))
    )
    erasure.add("topic_follows", _deleted(TopicFollow.objects.filter(follower=user)))
    erasure.add("blocks", _deleted(MemberBlock.objects.filter(Q(blocker=user) | Q(blocked=user))))
    erasure.add("mutes", _deleted(MemberMute.objects.filter(Q(muter=user) | Q(muted=user))))


def notifications_erase(erasure: Erasure) -> None:
    """Notifications to the member, about what they did, and about comments that are gone.

    Run after the comments and pages: notifications about a removed page go
    with it (a cascade), those about a removed comment are found here by id.
    """
    user = erasure.user
    about = Q(recipient=user) | Q(actor=user)
    if erasure.removed_comment_ids:
        about |= Q(comment_id__in=erasure.removed_comment_ids)
    erasure.add("notifications", _deleted(Notification.objects.filter(about)))
    erasure.add("notification_settings", _deleted(NotificationPreference.objects.filter(user=user)))


def ratings_erase(erasure: Erasure) -> None:
    """Ratings the member gave, signed in or from their linked browsers; summaries recomputed."""
    user = erasure.user
    erasure.add("ratings", ratings_delete_for_user(user=user))
    keys = list(RaterBrowser.objects.filter(user=user).values_list("anonymous_key", flat=True))
    if keys:
        # Given before signing in on a browser later linked to the account: theirs too.
        page_ids = set(
            Rating.objects.filter(anonymous_key__in=keys).values_list("page_id", flat=True)
        )
        erasure.add("ratings", _deleted(Rating.objects.filter(anonymous_key__in=keys)))
        for page in ContentPage.objects.filter(pk__in=page_ids):
            rating_summary_rebuild(page=page)
    erasure.add("rating_browsers", _deleted(RaterBrowser.objects.filter(user=user)))


def memberships_erase(erasure: Erasure) -> None:
    """Community memberships (with their reasons and rule acceptances)."""
    erasure.add(
        "community_memberships",
        _deleted(CommunityMembership.objects.filter(user=erasure.user)),
    )


def expert_erase(erasure: Erasure) -> None:
    """An expert's registration details, claims on questions, and "helpful" marks given."""
    user = erasure.user
    erasure.add("expert_verifications", _deleted(ExpertVerification.objects.filter(user=user)))
    erasure.add("question_claims", _deleted(QuestionClaim.objects.filter(expert=user)))
    erasure.add("helpful_marks", _deleted(HelpfulMark.objects.filter(user=user)))
