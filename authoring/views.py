"""Thin views for writing on the site: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import may_contribute
from core.responses import refusal_response
from core.submissions import Repeated, submission_from
from safety.crisis_help import show_crisis_help
from safety.crisis_selectors import page_held_for_crisis

from . import services
from .forms import AudienceForm, audience_value
from .kinds import all_kinds, kind_of, kinds_for
from .selectors import (
    audience_choices,
    contribution_for,
    contribution_state,
    contributions_for,
    writing_place,
)


def _may_write(user):
    return may_contribute(user)


def _consent_needed(request):
    return TemplateResponse(request, "authoring/consent_needed.html", status=403)


def _refused(request, refusal, *, page):
    """The refusal's words on a page of their own, at the refusal's status, with a way back."""
    return refusal_response(
        request, refusal, template="authoring/refused.html", context={"page": page}
    )


def _own_item(request, pk):
    page = contribution_for(user=request.user, pk=pk)
    if page is None:
        raise Http404("No such item of yours.")
    return page


@never_cache
@login_required
def write(request):
    """Choose what to write; ``?community=<slug>`` writes in that community."""
    return TemplateResponse(
        request,
        "authoring/write.html",
        {
            "kinds": kinds_for(request.user),
            "may_write": _may_write(request.user),
            "place": writing_place(user=request.user, slug=request.GET.get("community")),
        },
    )


SUBMITTED = gettext_lazy("Sent for review. We will email you when there is news.")
WITHDRAWN = gettext_lazy("Withdrawn from review. It is a draft again, visible only to you.")


def _act(request, page, service, success_message):
    """Run a state-changing ``service`` on ``page``; a refusal is explained, not a 500."""
    try:
        service(user=request.user, page=page)
    except services.ContributionRefused as error:
        return _refused(request, error, page=page)
    messages.success(request, success_message)
    _help_if_in_crisis(request, page)
    return redirect("authoring:contributions")


def _help_if_in_crisis(request, page):
    """After a submission held for crisis words (``safety``), the next page shows help."""
    if page_held_for_crisis(page.pk):
        show_crisis_help(request)


def _save(request, kind, form, page=None):
    """Save the form as the pressed button says: a draft (then preview or edit), or submit it.

    "Submit for review" saves and submits in one service call: one revision,
    and nothing half-done if it is refused.
    """
    action = request.POST.get("action")
    save = (
        services.contribution_save_and_submit
        if action == "submit"
        else services.contribution_save_draft
    )
    try:
        page = save(
            user=request.user,
            kind=kind,
            data=form.cleaned_data,
            page=page,
            submission=submission_from(form, target=f"{kind.slug}:{page.pk if page else ''}"),
        )
    except services.ContributionRefused as error:
        return _refused(request, error, page=error.page or page)
    except Repeated as repeat:
        # A double click: answer as the first press did, with the item it saved.
        return _after_repeat(request, action, repeat.created)
    return _after_press(request, action, page)


def _after_press(request, action, page):
    """Where a press of ``action`` that saved ``page`` leads, with what it did."""
    if action == "submit":
        messages.success(request, SUBMITTED)
        _help_if_in_crisis(request, page)
        return redirect("authoring:contributions")
    if action == "preview":
        return redirect("authoring:preview", pk=page.pk)
    messages.success(request, _("Draft saved. Only you can see it."))
    return redirect("authoring:edit", pk=page.pk)


def _after_repeat(request, action, page):
    """A repeated press answered as the first one was (a submit only if it is in review)."""
    if page is None or (action == "submit" and not contribution_state(page).in_review):
        return redirect("authoring:contributions")
    return _after_press(request, action, page)


@never_cache
@login_required
def write_new(request, kind):
    """A new item of ``kind``: save as draft, save and preview, or submit for review."""
    kind = all_kinds().get(kind)
    if kind is None or kind not in kinds_for(request.user):
        raise Http404("You cannot write this kind of item.")
    if not _may_write(request.user):
        return _consent_needed(request)
    audiences = audience_choices(user=request.user)
    if request.method == "POST":
        form = kind.form_class(request.POST, audiences=audiences)
        if form.is_valid():
            return _save(request, kind, form)
        place = None
    else:
        # "Write in this community" (?community=<slug>) starts with its audience.
        place = writing_place(user=request.user, slug=request.GET.get("community"))
        community = place.community if place else None
        form = kind.form_class(initial=kind.new_initial(community), audiences=audiences)
    return TemplateResponse(
        request,
        "authoring/edit.html",
        {"form": form, "kind": kind, "page": None, "place": place},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
def edit(request, pk):
    """Change one's own draft or an item sent back, then save, preview or resubmit it."""
    page = _own_item(request, pk)
    kind = kind_of(page)
    state = contribution_state(page)
    if not _may_write(request.user):
        return _consent_needed(request)
    if not state.can_edit:
        return _refused(
            request,
            services.ContributionRefused(
                _("This item is with a reviewer. Withdraw it from review to change it.")
            ),
            page=page,
        )
    latest = page.get_latest_revision_as_object()
    audiences = audience_choices(user=request.user, current_community_id=latest.community_id)
    if request.method == "POST":
        form = kind.form_class(request.POST, audiences=audiences)
        if form.is_valid():
            return _save(request, kind, form, page=page)
    else:
        form = kind.form_class(initial=kind.initial(latest), audiences=audiences)
    return TemplateResponse(
        request,
        "authoring/edit.html",
        {"form": form, "kind": kind, "page": page, "contribution": state},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
def preview(request, pk):
    """The newest version of one's own item, exactly as it will look once published."""
    page = _own_item(request, pk)
    draft = page.get_latest_revision_as_object()
    request.kindred_preview = contribution_state(page)
    response = draft.serve_preview(request, draft.default_preview_mode)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
@never_cache
@login_required
def submit(request, pk):
    page = _own_item(request, pk)
    if not _may_write(request.user):
        return _consent_needed(request)
    return _act(request, page, services.contribution_submit, SUBMITTED)


@require_POST
@never_cache
@login_required
def withdraw(request, pk):
    return _act(request, _own_item(request, pk), services.contribution_withdraw, WITHDRAWN)


AUDIENCE_CHANGED = {
    services.AudienceChange.UNCHANGED: gettext_lazy(
        "Nothing changed: it already had that audience."
    ),
    services.AudienceChange.NARROWED: gettext_lazy(
        "Done: fewer people can read it now. No review was needed."
    ),
    services.AudienceChange.SENT_FOR_REVIEW: gettext_lazy(
        "Sent for review: more people will be able to read it once our reviewers approve. "
        "Until then it keeps its present audience."
    ),
}


@never_cache
@login_required
def audience(request, pk):
    """Who can read one's own published item: narrow it at once, or widen it through review."""
    page = _own_item(request, pk)
    if not page.live:
        return redirect("authoring:edit", pk=page.pk)
    latest = page.get_latest_revision_as_object()
    audiences = audience_choices(user=request.user, current_community_id=page.community_id)
    if request.method == "POST":
        form = AudienceForm(request.POST, audiences=audiences)
        if form.is_valid():
            try:
                done = services.contribution_audience_change(
                    user=request.user,
                    page=page,
                    audience=form.cleaned_data["audience"],
                    community=form.cleaned_data["community"],
                )
            except services.ContributionRefused as error:
                return _refused(request, error, page=page)
            messages.success(request, AUDIENCE_CHANGED[done])
            return redirect("authoring:contributions")
    else:
        form = AudienceForm(
            initial={"audience": audience_value(page.audience, page.community_id)},
            audiences=audiences,
        )
    return TemplateResponse(
        request,
        "authoring/audience.html",
        {"form": form, "page": page, "latest": latest},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
def contributions(request):
    """Everything the writer wrote, with its review state in words."""
    return TemplateResponse(
        request,
        "authoring/contributions.html",
        {
            "contributions": contributions_for(user=request.user),
            "write_url": reverse("authoring:write"),
        },
    )
