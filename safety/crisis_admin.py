"""The moderators' crisis signals in the admin: the list, handling one, the menu item, the
notice at the top of the review queue and the veto on publishing a held item."""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from audit.models import AccessPurpose, AccessWhat
from audit.services import access_record_many
from moderation.selectors import REVIEW_FLAGS, REVIEW_NOTICES, ReviewFlag, ReviewNotice
from moderation.workflow import PUBLICATION_VETO

from .crisis_selectors import (
    crisis_rows,
    may_handle_crisis,
    open_crisis_count,
    open_crisis_page_ids,
    open_crisis_signals,
)
from .models import CrisisSignal
from .services import CRISIS_HANDLED, CRISIS_OPENED, crisis_signal_handle

# The largest id the database's integer key holds: a longer number names nothing.
MAX_ID = 2**31 - 1
HELD_REASON = gettext_lazy(
    "Held for a moderator: words in this item suggest its author may be in crisis. "
    "A moderator must handle the signal first (Crisis signals, in the admin menu)."
)


class HandleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: “Contacted the member by message; they are safe and "
            "have support” or “Not a crisis: quoting a film title”."
        ),
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say what was done, in a few words."))
        return note


def crisis_index(request):
    """Open signals, oldest first, each with a form to mark it handled; then the last handled."""
    if not may_handle_crisis(request.user):
        return permission_denied(request)
    open_rows = crisis_rows(handled=False)
    # The open signals' words are held (a comment or an item not shown): their authors
    # see who read them (issue 16).
    access_record_many(
        viewer=request.user,
        purpose=AccessPurpose.MODERATION,
        accesses=[
            (row.signal.author_id, AccessWhat.HELD_COMMENT, f"comment:{row.signal.comment_id}")
            if row.signal.comment_id
            else (row.signal.author_id, AccessWhat.IN_REVIEW, f"page:{row.signal.page_id}")
            for row in open_rows
        ],
    )
    return TemplateResponse(
        request,
        "safety/admin/crisis_signals.html",
        {
            "page_title": _("Crisis signals"),
            "header_icon": "warning",
            "open_rows": open_rows,
            "handled_rows": crisis_rows(handled=True, limit=30),
            "form": HandleForm(),
        },
    )


@require_POST
def crisis_handle(request, signal_id):
    """Mark one signal handled, with a note; back to the list with a message."""
    if not may_handle_crisis(request.user):
        return permission_denied(request)
    signal = CrisisSignal.objects.filter(pk=signal_id).first() if 0 < signal_id <= MAX_ID else None
    if signal is None:
        messages.error(request, _("That signal no longer exists."))
        return redirect("safety_crisis:index")
    form = HandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [_("Say what was done.")])))
        return redirect("safety_crisis:index")
    crisis_signal_handle(signal=signal, user=request.user, note=form.cleaned_data["note"])
    messages.success(
        request,
        _(
            "Signal handled. A held comment now waits in the comment queue; a held item may be "
            "approved."
        ),
    )
    return redirect("safety_crisis:index")


urlpatterns = [
    path("", crisis_index, name="index"),
    path("<int:signal_id>/handle/", crisis_handle, name="handle"),
]


@hooks.register("register_admin_urls")
def register_crisis_admin_urls():
    return [path("safety/crisis/", include((urlpatterns, "safety_crisis")))]


class CrisisMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_crisis(request.user)


@hooks.register("register_admin_menu_item")
def register_crisis_menu_item():
    return CrisisMenuItem(
        gettext_lazy("Crisis signals"),
        reverse("safety_crisis:index"),
        name="crisis-signals",
        icon_name="warning",
        order=240,
    )


@hooks.register(PUBLICATION_VETO)
def crisis_veto(page) -> str | None:
    """An item with an open crisis signal is not published until a moderator handled it."""
    if open_crisis_signals().filter(page_id=page.pk).exists():
        return HELD_REASON
    return None


@hooks.register(REVIEW_FLAGS)
def crisis_review_flags(*, pages) -> dict:
    held = open_crisis_page_ids([page.pk for page in pages])
    flag = ReviewFlag(
        label=_("Held: possible crisis"), tone="critical", url=reverse("safety_crisis:index")
    )
    return {page_id: [flag] for page_id in held}


@hooks.register(REVIEW_NOTICES)
def crisis_review_notice(*, user) -> list:
    if not may_handle_crisis(user):
        return []
    count = open_crisis_count()
    if not count:
        return []
    text = ngettext(
        "%(count)s crisis signal waits for a moderator: someone's words suggest they may "
        "harm themselves. Handle them first.",
        "%(count)s crisis signals wait for a moderator: someone's words suggest they may "
        "harm themselves. Handle them first.",
        count,
    ) % {"count": count}
    return [
        ReviewNotice(
            text=text,
            url=reverse("safety_crisis:index"),
            link_text=_("Open crisis signals"),
        )
    ]


@hooks.register("register_log_actions")
def register_crisis_log_actions(actions):
    actions.register_action(
        CRISIS_OPENED, gettext_lazy("Crisis signal raised"), gettext_lazy("Crisis signal raised")
    )
    actions.register_action(
        CRISIS_HANDLED, gettext_lazy("Crisis signal handled"), gettext_lazy("Crisis signal handled")
    )
