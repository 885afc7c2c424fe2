"""Notification pages: the list, opening one, marking all read, email settings, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.redirects import safe_next
from core.selectors import paginate
from social.models import NotificationKind, kind_label

from . import selectors, services
from .emails import read_unsubscribe_token
from .forms import PreferencesForm
from .selectors import in_sentence

NOTIFICATIONS_PER_PAGE = 20
# Ids beyond this are not ids (and some databases refuse them outright).
MAX_ID = 2**31 - 1


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    """The member's notifications, newest first, rendered as they may see them now."""
    page = paginate(
        selectors.notifications_for(user=request.user),
        request.GET.get("page"),
        per_page=NOTIFICATIONS_PER_PAGE,
    )
    entries = selectors.notification_entries(user=request.user, notifications=page.object_list)
    return TemplateResponse(
        request, "social/notifications/list.html", {"page_obj": page, "entries": entries}
    )


@login_required
@require_POST
def open_notification(request, notification_id):
    """Mark one notification read and go where it leads (the list if nowhere).

    Someone else's id and a missing one answer the same 404.
    """
    notification = None
    if notification_id <= MAX_ID:
        notification = services.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
    if notification is None:
        raise Http404("No such notification")
    (entry,) = selectors.notification_entries(user=request.user, notifications=[notification])
    return redirect(safe_next(request, entry.target_url) or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    """Mark every notification of the member read."""
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """Per kind of notification: email at once, in the daily digest, or not at all."""
    current = selectors.email_preferences(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            for kind, _label, _email in current:
                services.preference_set(user=request.user, kind=kind, email=form.cleaned_data[kind])
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:settings")
        status = 400
    else:
        form = PreferencesForm(initial={kind: email for kind, _label, email in current})
        status = 200
    return TemplateResponse(
        request, "social/notifications/settings.html", {"form": form}, status=status
    )


# No session and no CSRF token: mail clients POST here for one-click
# unsubscribe (RFC 8058). The signed token is the credential, and all it can do
# is switch one kind of email off for the member it names.
@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: ask to confirm (changes nothing). POST: stop that kind of email."""
    parsed = read_unsubscribe_token(token)
    user = selectors.active_member(user_id=parsed[0]) if parsed else None
    if user is None:
        return TemplateResponse(
            request, "social/notifications/unsubscribe.html", {"invalid": True}, status=400
        )
    kind = parsed[1]
    label = (
        in_sentence(kind_label(kind)) if kind in NotificationKind.values else _("the daily digest")
    )
    context = {"token": token, "label": label, "digest": kind == services.DIGEST}
    if request.method == "POST":
        services.preferences_unsubscribe(user=user, kind=kind)
        context["done"] = True
    return TemplateResponse(request, "social/notifications/unsubscribe.html", context)
