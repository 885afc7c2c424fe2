"""Thin views for the discussion: parse, call one selector or service, answer.

Kindred serves these instead of django-comments-xtd's own views (none of
xtd's or django-contrib-comments' URLs are mounted). Every comment and page
id goes through ``discussion.selectors``, so a draft page, a page in review,
a hidden, removed or unmoderated comment and a missing id all get the same
404. Forms answer HTML, or JSON to ``fetch`` calls that ask for it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import may_contribute
from core.refusals import Refused
from core.responses import (
    done,
    login_url_for,
    not_found,
    refusal_response,
    sign_in_required,
    wants_json,
)
from core.submissions import Repeated, submission_from
from safety.crisis_help import show_crisis_help
from safety.crisis_selectors import crisis_in

from . import selectors, services
from .forms import CommentForm, EditForm, ReportForm
from .notifications import read_mute_token
from .threads import may_edit

NOT_FOUND = gettext_lazy("There is no such comment or page here.")
PUBLISHED = gettext_lazy("Your comment is published.")
HELD = gettext_lazy(
    "Thank you. Your first comments are read by a moderator before they appear; "
    "this one will show once approved. Until then only you can see it."
)
REPORTED = gettext_lazy("Thank you for your report. A moderator will look at this comment.")
EDITED = gettext_lazy("Your comment is changed.")
CONSENT_NEEDED = gettext_lazy(
    "To comment, please agree to the current community guidelines and the processing "
    "of health information first (on your Account page)."
)
EDITED_HELD = gettext_lazy(
    "Your comment is changed; it will show again once a moderator has approved it."
)
HELD_IN_COMMUNITY = gettext_lazy(
    "Thank you. Your first comments in %(community)s are read by its moderators before "
    "they appear; this one will show once approved. Until then only you can see it."
)
HELD_ALL_IN_COMMUNITY = gettext_lazy(
    "Thank you. In %(community)s, every comment is read by its moderators before it "
    "appears; this one will show once approved. Until then only you can see it."
)


def _held_message(page):
    """What a member is told when their comment waits: the site's rule or the community's."""
    if page.community_id is None:
        return HELD
    community = page.community
    if community.moderation_preset == community.ModerationPreset.HOLD_ALL:
        return HELD_ALL_IN_COMMUNITY % {"community": community.title}
    return HELD_IN_COMMUNITY % {"community": community.title}


CHECK_COMMENT = gettext_lazy("Please check your comment.")


def _not_found(request):
    # The JSON API answers JSON whatever the client accepts.
    return not_found(request, NOT_FOUND, json=request.path.startswith("/comments/api/"))


def _field_errors(form):
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def _page_url(request, page):
    return page.get_url(request=request) or "/"


def _comment_url(request, page, comment_id):
    return f"{_page_url(request, page)}#c{comment_id}"


def _form_page(request, *, page, form, parent=None, refusal=None, status=200):
    """The comment form on a page of its own: to reply, or after a refusal (text kept).

    Without ``refusal`` (a reply form, or a form that did not validate) the
    page shows no message; a script is told to check the form's fields. After
    a refusal for the community's changed rules, the page links to them.
    """
    rules_url = ""
    if isinstance(refusal, services.RulesNotAccepted):
        rules_url = page.community.get_url(request=request) or ""
    context = {
        "rules_url": rules_url,
        "commented_page": page,
        "page_url": _page_url(request, page),
        "form": form,
        "parent": parent,
        "can_post": may_contribute(request.user),
        "login_url": login_url_for(request.get_full_path()),
    }
    if refusal is None:
        if wants_json(request):
            refusal = Refused(CHECK_COMMENT, status=status)
        else:
            return TemplateResponse(
                request, "discussion/post.html", {**context, "message": ""}, status=status
            )
    return refusal_response(
        request,
        refusal,
        template="discussion/post.html",
        context=context,
        json={"errors": _field_errors(form)},
    )


@require_POST
def post(request, page_id):
    """Post a comment on a readable page, or a reply when the form names a ``parent``."""
    page = selectors.readable_page(user=request.user, page_id=page_id)
    if page is None:
        return _not_found(request)
    if not request.user.is_authenticated:
        return sign_in_required(
            request,
            next_url=f"{_page_url(request, page)}#comments",
            message=_("Sign in to comment."),
        )
    if not may_contribute(request.user):
        return refusal_response(
            request, Refused(CONSENT_NEEDED, status=403), template="discussion/consent_needed.html"
        )
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_page(request, page=page, form=form, status=400)
    try:
        comment = services.comment_post(
            user=request.user,
            page=page,
            text=form.cleaned_data["comment"],
            parent_id=form.cleaned_data["parent"],
            submission=submission_from(form, target=f"page:{page.pk}"),
        )
    except Repeated as repeat:
        # A double click: answer with the comment the first press posted.
        comment = repeat.created
        if comment is None or comment.object_pk != str(page.pk):
            return _not_found(request)
    except services.CommentPageGone:
        return _not_found(request)
    except services.CommentRefused as refusal:
        if isinstance(refusal, services.ReplyTargetGone):
            # Offer the text as a new comment; the reply target is not named
            # back, so a gone comment and one that never existed look alike.
            form = CommentForm(
                initial={
                    "comment": form.cleaned_data["comment"],
                    # Nothing was posted: the same token posts it once.
                    "submission": form.cleaned_data["submission"],
                }
            )
        return _form_page(request, page=page, form=form, refusal=refusal)
    url = _comment_url(request, page, comment.pk)
    if crisis_in(comment.comment):
        # Words suggesting the writer may harm themselves: help at the top of the next
        # page (safety), and the comment waits for a moderator.
        show_crisis_help(request)
    return done(
        request,
        message=PUBLISHED if comment.is_visible else _held_message(page),
        redirect_to=url,
        data={
            "id": comment.pk,
            "url": url,
            "state": "visible" if comment.is_visible else "awaiting",
        },
        status=201,
    )


@require_GET
def reply(request, comment_id):
    """The reply form for one visible comment on a readable page."""
    comment, page = selectors.visible_comment(viewer=request.user, comment_id=comment_id)
    if comment is None:
        return _not_found(request)
    form = CommentForm(initial={"parent": comment.pk})
    card = selectors.comment_card(comment=comment, viewer=request.user)
    return _form_page(request, page=page, form=form, parent=card)


@require_GET
def permalink(request, comment_id):
    """Redirect to the comment in its page, if the requester may see both."""
    comment, page = selectors.visible_comment(
        viewer=request.user, comment_id=comment_id, own_awaiting=True
    )
    if comment is None:
        return _not_found(request)
    return HttpResponseRedirect(_comment_url(request, page, comment.pk))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, comment_id):
    """Change one's own comment within the edit window."""
    comment, page = selectors.own_comment(user=request.user, comment_id=comment_id)
    if comment is None:
        return _not_found(request)
    context = {"comment": comment, "commented_page": page, "page_url": _page_url(request, page)}
    if not may_edit(comment):
        return TemplateResponse(
            request,
            "discussion/refused.html",
            {**context, "message": services.EDIT_CLOSED},
            status=403,
        )
    if request.method != "POST":
        form = EditForm(initial={"comment": comment.comment})
        return TemplateResponse(request, "discussion/edit.html", {**context, "form": form})
    form = EditForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "discussion/edit.html", {**context, "form": form}, status=400
        )
    try:
        services.comment_edit(user=request.user, comment=comment, text=form.cleaned_data["comment"])
    except services.CommentPageGone:
        return _not_found(request)
    except services.CommentRefused as refusal:
        # A page only: editing has no script of its own.
        rules_url = ""
        if isinstance(refusal, services.RulesNotAccepted):
            rules_url = page.community.get_url(request=request) or ""
        return TemplateResponse(
            request,
            "discussion/edit.html",
            {**context, "form": form, "message": refusal.message, "rules_url": rules_url},
            status=refusal.status,
        )
    messages.success(request, EDITED if comment.is_visible else EDITED_HELD)
    if crisis_in(comment.comment):
        show_crisis_help(request)
    return HttpResponseRedirect(_comment_url(request, page, comment.pk), status=303)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report(request, comment_id):
    """Report a visible comment to the moderators, with a reason."""
    comment, page = selectors.visible_comment(viewer=request.user, comment_id=comment_id)
    if comment is None:
        return _not_found(request)
    context = {
        "comment": selectors.comment_card(comment=comment, viewer=request.user),
        "commented_page": page,
        "page_url": _page_url(request, page),
    }
    if request.method != "POST":
        return TemplateResponse(
            request, "discussion/report.html", {**context, "form": ReportForm()}
        )
    form = ReportForm(request.POST)
    if form.is_valid():
        refusal = None
        try:
            services.comment_report(
                user=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                submission=submission_from(form, target=f"comment:{comment.pk}"),
            )
        except Repeated:
            pass  # A double click is answered as the first press was.
        except services.CommentRefused as error:
            refusal = error
        if refusal is None:
            return done(
                request, message=REPORTED, redirect_to=_comment_url(request, page, comment.pk)
            )
    else:
        # The fields' own errors say what to fix; there is no message above them.
        refusal = Refused("", status=400)
    return refusal_response(
        request,
        refusal,
        template="discussion/report.html",
        context={**context, "form": form},
        json={"errors": _field_errors(form)},
    )


@require_GET
def api_list(request, page_id):
    """JSON: the visible comments of a readable page (no emails, flags, reports or held text)."""
    page = selectors.readable_page(user=request.user, page_id=page_id)
    if page is None:
        return _not_found(request)
    comments, count = selectors.api_thread(page=page, viewer=request.user)
    return JsonResponse({"page": page.pk, "count": count, "comments": comments})


@require_GET
def api_count(request, page_id):
    """JSON: how many visible comments a readable page has."""
    page = selectors.readable_page(user=request.user, page_id=page_id)
    if page is None:
        return _not_found(request)
    return JsonResponse({"page": page.pk, "count": selectors.comment_count(page=page)})


# The token is the credential: mail clients POST here without a session or a
# CSRF cookie (RFC 8058 one-click unsubscribe), and all it can do is stop
# emails about one thread to the member it names.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mute(request, token):
    """GET: ask to confirm (changes nothing). POST: stop emails about that thread."""
    parsed = read_mute_token(token)
    if parsed is None:
        return TemplateResponse(request, "discussion/mute.html", {"invalid": True}, status=400)
    user_id, thread_id = parsed
    if request.method == "POST":
        if not services.thread_mute(user_id=user_id, thread_id=thread_id):
            return TemplateResponse(request, "discussion/mute.html", {"invalid": True}, status=400)
        return TemplateResponse(request, "discussion/mute.html", {"muted": True})
    return TemplateResponse(request, "discussion/mute.html", {"token": token})
