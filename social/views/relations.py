"""Follow, block and mute buttons (POST only), follower lists and the blocks page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.redirects import safe_next
from core.refusals import Refused
from core.selectors import paginate, readable_tag
from social.selectors import (
    blocks_and_mutes,
    follow_lists_visible,
    followers_of,
    following_of,
    relation_target,
    topics_followed,
    visible_profile,
)
from social.services import (
    MemberUnavailable,
    SelfRelationRefused,
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    mute_create,
    mute_delete,
    topic_follow_create,
    topic_follow_delete,
)

from .profiles import _private, moved_or_404

FOLLOW_LIST_PAGE_SIZE = 24


def _back(request, fallback):
    """Redirect to the posted ``next`` if it stays on this site, else to ``fallback``."""
    return _private(HttpResponseRedirect(_safe_next(request) or fallback))


def _safe_next(request):
    return safe_next(request, request.POST.get("next", ""))


def signed_in_button(view):
    """Like ``login_required`` for POST-only buttons: after signing in, go back to the page.

    ``login_required`` would send the visitor back to this POST-only address,
    which then answers 405; the page the button was on (``next``) is where
    they can press it again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(_safe_next(request) or "/")

    return wrapper


def _refused(request, refusal: Refused):
    # Self-relations are the member's own mistake: say so plainly (at the refusal's 400).
    response = TemplateResponse(
        request, "social/refused.html", {"message": refusal.message}, status=refusal.status
    )
    return _private(response)


def _member_action(request, handle, *, act, done, ended=None):
    """Shared body of follow, block and mute: find the member, act, come back with a message.

    ``ended`` maps what the action ended (``TieChange.ended``) to a sentence
    added to the message, so the member learns that the opposite tie is gone.
    """
    profile = visible_profile(viewer=request.user, handle=handle)
    if profile is None:
        raise Http404("No such member")
    try:
        change = act(request.user, profile.user)
    except SelfRelationRefused as error:
        return _refused(request, error)
    except MemberUnavailable as error:
        # Blocked, hidden and missing members all look the same.
        raise Http404("No such member") from error
    message = str(done) % {"name": profile.user.public_name}
    extra = (ended or {}).get(getattr(change, "ended", ""), "")
    if extra:
        message = f"{message} {extra}"
    messages.success(request, message)
    return _back(request, profile.get_absolute_url())


def _member_undo(request, handle, *, relation, act, done):
    """Shared body of unfollow, unblock and unmute: works on any tie the member has."""
    profile = relation_target(viewer=request.user, handle=handle, relation=relation)
    if profile is None:
        raise Http404("No such member")
    act(request.user, profile.user)
    messages.success(request, str(done) % {"name": profile.user.public_name})
    fallback = (
        profile.get_absolute_url()
        if profile.is_visible_to(request.user)
        else reverse("social:blocked_and_muted")
    )
    return _back(request, fallback)


@require_POST
@signed_in_button
def member_follow(request, handle):
    """Follow the member with ``handle`` (idempotent)."""
    return _member_action(
        request,
        handle,
        act=lambda me, them: follow_create(follower=me, followee=them),
        done=gettext_lazy("You now follow %(name)s."),
        ended={"mute": gettext_lazy("You had muted them: following lifts the mute.")},
    )


@require_POST
@signed_in_button
def member_unfollow(request, handle):
    """Stop following the member with ``handle`` (idempotent)."""
    return _member_undo(
        request,
        handle,
        relation="follow",
        act=lambda me, them: follow_delete(follower=me, followee=them),
        done=gettext_lazy("You no longer follow %(name)s."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def member_block(request, handle):
    """Block the member with ``handle``: follows both ways end, no replies, public profile only.

    A block is weighty, so it is asked first: GET shows what it does and a
    confirm button, POST does it. No JavaScript involved.
    """
    if request.method == "POST":
        return signed_in_button(_block)(request, handle)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    profile = visible_profile(viewer=request.user, handle=handle)
    if profile is None:
        raise Http404("No such member")
    if profile.user_id == request.user.pk:
        return _refused(request, SelfRelationRefused(_("You cannot block yourself.")))
    back = safe_next(request, request.GET.get("next", "")) or profile.get_absolute_url()
    return _private(
        TemplateResponse(request, "social/block_confirm.html", {"profile": profile, "back": back})
    )


def _block(request, handle):
    return _member_action(
        request,
        handle,
        act=lambda me, them: block_create(blocker=me, blocked=them),
        done=gettext_lazy("You blocked %(name)s. They can no longer follow you or reply to you."),
    )


@require_POST
@signed_in_button
def member_unblock(request, handle):
    """Lift a block (follows removed by it stay removed)."""
    return _member_undo(
        request,
        handle,
        relation="block",
        act=lambda me, them: block_delete(blocker=me, blocked=them),
        done=gettext_lazy("You unblocked %(name)s."),
    )


@require_POST
@signed_in_button
def member_mute(request, handle):
    """Mute the member with ``handle``: their items leave the feed; they are not told."""
    return _member_action(
        request,
        handle,
        act=lambda me, them: mute_create(muter=me, muted=them),
        done=gettext_lazy("You muted %(name)s. Their items no longer appear in your feed."),
        ended={"follow": gettext_lazy("You no longer follow them: muting ends a follow.")},
    )


@require_POST
@signed_in_button
def member_unmute(request, handle):
    """Lift a mute."""
    return _member_undo(
        request,
        handle,
        relation="mute",
        act=lambda me, them: mute_delete(muter=me, muted=them),
        done=gettext_lazy("You unmuted %(name)s."),
    )


def _readable_tag_or_404(request, slug):
    tag = readable_tag(user=request.user, slug=slug)
    if tag is None:
        raise Http404("No published items carry this tag.")
    return tag


@require_POST
@signed_in_button
def topic_follow(request, slug):
    """Follow a topic (a tag carried by at least one item the member may read)."""
    tag = _readable_tag_or_404(request, slug)
    topic_follow_create(follower=request.user, tag=tag)
    messages.success(request, _("You now follow the topic “%(topic)s”.") % {"topic": tag.name})
    return _back(request, reverse("tag_listing", kwargs={"slug": tag.slug}))


@require_POST
@signed_in_button
def topic_unfollow(request, slug):
    """Stop following a topic."""
    tag = _readable_tag_or_404(request, slug)
    topic_follow_delete(follower=request.user, tag=tag)
    messages.success(
        request, _("You no longer follow the topic “%(topic)s”.") % {"topic": tag.name}
    )
    return _back(request, reverse("tag_listing", kwargs={"slug": tag.slug}))


def _follow_list(request, handle, *, which):
    profile = visible_profile(viewer=request.user, handle=handle)
    if profile is None:
        return moved_or_404(request, handle)
    if not follow_lists_visible(viewer=request.user, profile=profile):
        # Hidden lists answer like a hidden profile.
        raise Http404("No such member")
    select = followers_of if which == "followers" else following_of
    follows = paginate(
        select(viewer=request.user, profile=profile),
        request.GET.get("page"),
        per_page=FOLLOW_LIST_PAGE_SIZE,
    )
    context = {
        "profile": profile,
        "which": which,
        "follows": follows,
        "members": [
            follow.follower if which == "followers" else follow.followee for follow in follows
        ],
        "topics": topics_followed(viewer=request.user, profile=profile)
        if which == "following"
        else [],
    }
    response = TemplateResponse(request, "social/follow_list.html", context)
    if request.user.is_authenticated or profile.visibility != profile.Visibility.EVERYONE:
        _private(response)
    return response


@require_http_methods(["GET", "HEAD"])
def followers(request, handle):
    """Who follows this member, among the people this reader may see."""
    return _follow_list(request, handle, which="followers")


@require_http_methods(["GET", "HEAD"])
def following(request, handle):
    """Whom this member follows (people and topics), among what this reader may see."""
    return _follow_list(request, handle, which="following")


@require_http_methods(["GET", "HEAD"])
@login_required
def blocked_and_muted(request):
    """The signed-in member's blocks and mutes, each with an undo button."""
    blocks, mutes = blocks_and_mutes(user=request.user)
    return _private(
        TemplateResponse(
            request, "social/blocked_and_muted.html", {"blocks": blocks, "mutes": mutes}
        )
    )
