"""Verified clinicians on the site: their areas, the open questions, claims and answers.

Every address here is for verified clinicians only (the Experts group and a
verification record, ``questions.selectors.experts``); to anyone else signed
in it answers 404, as for an address that does not exist, and a visitor is
sent to sign in. A question the expert may not read (a draft, another
community's) answers 404 too. The POST views are thin: parse, call one
service, answer through ``core.responses`` (303 and a message, JSON to a
script, a refusal at its status in words).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import may_contribute
from core.dates import local_date
from core.models import Condition
from core.refusals import Refused
from core.responses import done, not_found, refusal_response, sign_in_required
from core.submissions import Repeated, submission_from

from ..forms import AnswerForm
from ..models import ExpertVerification, QuestionPage, StandardReply
from ..selectors.experts import existing_answer, question_for_expert, verification_for
from ..selectors.experts import open_questions as open_questions_for
from ..services import answers as answer_services
from ..services import claims as claim_services

NOT_FOUND = gettext_lazy("There is no such question.")
SIGN_IN = gettext_lazy("Sign in as a verified clinician to answer questions.")
REFUSED_TEMPLATE = "questions/answering/refused.html"


def _verification_or_404(request: HttpRequest) -> ExpertVerification:
    verification = verification_for(request.user)
    if verification is None:
        raise Http404(_("This page is for verified clinicians."))
    return verification


def _question_or_404(request: HttpRequest, pk: int) -> QuestionPage:
    question = question_for_expert(expert=request.user, pk=pk)
    if question is None:
        raise Http404(NOT_FOUND)
    return question


def _active_claim(question: QuestionPage):
    claim = getattr(question, "claim", None)
    return claim if claim is not None and claim.is_active() else None


def _until(moment) -> str:
    return local_date(timezone.localtime(moment), "day_time")


@never_cache
@login_required
def open_questions(request: HttpRequest) -> HttpResponse:
    """The questions waiting for an answer in the expert's areas (``?all=1``: everywhere)."""
    verification = _verification_or_404(request)
    everywhere = request.GET.get("all") == "1"
    return TemplateResponse(
        request,
        "questions/answering/open_questions.html",
        {
            "items": open_questions_for(
                expert=request.user, verification=verification, everywhere=everywhere
            ),
            "everywhere": everywhere,
            "areas": list(verification.conditions.all()),
        },
    )


def _claim_action(act):
    """The shape of the claim and release views: POST only, verified clinicians, 303 back."""

    @never_cache
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_required(request, next_url=reverse("questions:open"), message=SIGN_IN)
        question = question_for_expert(expert=request.user, pk=pk)
        if question is None:
            return not_found(request, NOT_FOUND)
        try:
            message = act(request, question)
        except Refused as refusal:
            return refusal_response(
                request, refusal, template=REFUSED_TEMPLATE, context={"question": question}
            )
        # "Claim and answer" leads to the answer's form; anything else back to the list.
        back = (
            reverse("questions:answer", args=[question.pk])
            if request.POST.get("next") == "answer"
            else reverse("questions:open")
        )
        return done(request, message=message, redirect_to=back)

    view.__name__ = act.__name__
    view.__doc__ = act.__doc__
    return view


@_claim_action
def claim(request: HttpRequest, question: QuestionPage) -> str:
    """Claim the question (or renew one's claim) for ``CLAIM_HOURS`` hours."""
    held = claim_services.question_claim(expert=request.user, question=question)
    return _("The question is yours to answer until %(until)s.") % {
        "until": _until(held.expires_at)
    }


@_claim_action
def release(request: HttpRequest, question: QuestionPage) -> str:
    """Give the question back, so that another expert can answer it."""
    claim_services.question_claim_release(expert=request.user, question=question)
    return _("You released the question: another expert can claim it now.")


SAVED = gettext_lazy(
    "Draft saved. Only you can see it; submit it for medical review when it is ready."
)
SUBMITTED = gettext_lazy(
    "Sent for medical review. It is published once a medical reviewer approves it."
)
ALREADY_ANSWERED = gettext_lazy(
    "You have answered this question already: here is your answer to change."
)


def _to_earlier_answer(request: HttpRequest, page) -> HttpResponse:
    messages.info(request, ALREADY_ANSWERED)
    return redirect("authoring:edit", pk=page.pk)


@never_cache
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The question and the answer's form: save a draft or submit it for medical review."""
    question = _question_or_404(request, pk)
    if not may_contribute(request.user):
        return TemplateResponse(request, "authoring/consent_needed.html", status=403)
    earlier = existing_answer(expert=request.user, question=question)
    if earlier is not None:
        return _to_earlier_answer(request, earlier)
    replies = StandardReply.objects.all()
    if request.method == "POST":
        form = AnswerForm(request.POST, standard_replies=replies)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                page = answer_services.answer_save(
                    expert=request.user,
                    question=question,
                    data=form.cleaned_data,
                    submit=submit,
                    submission=submission_from(form, target=f"answer:{question.pk}"),
                )
            except answer_services.AnswerExists as exists:
                return _to_earlier_answer(request, exists.page)
            except Repeated:
                return redirect("authoring:contributions")
            except Refused as refusal:
                return refusal_response(
                    request, refusal, template=REFUSED_TEMPLATE, context={"question": question}
                )
            if submit:
                messages.success(request, SUBMITTED)
                return redirect("authoring:contributions")
            messages.success(request, SAVED)
            return redirect("authoring:edit", pk=page.pk)
    else:
        form = AnswerForm(standard_replies=replies)
    claim_held = _active_claim(question)
    return TemplateResponse(
        request,
        "questions/answering/answer.html",
        {
            "question": question,
            "conditions": list(question.conditions.all()),
            "form": form,
            "replies": list(replies),
            "claim": claim_held,
            "claimed_by_you": claim_held is not None and claim_held.expert_id == request.user.pk,
        },
        status=400 if form.is_bound else 200,
    )


class AreasForm(forms.Form):
    """The conditions a verified clinician answers questions about."""

    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("The conditions you answer questions about"),
        help_text=gettext_lazy("Your open questions are those about these conditions."),
        error_messages={"invalid_choice": gettext_lazy("Choose from the conditions shown.")},
    )

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"]
        if len(conditions) > claim_services.MAX_AREAS:
            raise forms.ValidationError(
                _("Choose at most %(count)s.") % {"count": claim_services.MAX_AREAS}
            )
        return conditions


@never_cache
@login_required
def areas(request: HttpRequest) -> HttpResponse:
    """Choose the conditions one answers about."""
    verification = _verification_or_404(request)
    if request.method == "POST":
        form = AreasForm(request.POST)
        if form.is_valid():
            claim_services.expert_areas_set(
                verification=verification, conditions=form.cleaned_data["conditions"]
            )
            return done(
                request,
                message=_("Your areas are saved."),
                redirect_to=reverse("questions:open"),
            )
    else:
        form = AreasForm(initial={"conditions": [c.pk for c in verification.conditions.all()]})
    return TemplateResponse(
        request,
        "questions/answering/areas.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
