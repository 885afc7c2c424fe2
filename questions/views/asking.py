"""Asking, accepting and thanking (members): thin views over authoring and ``questions.services``.

``ask`` is authoring's "write a new item" for the question kind, told the
service level; ``accept`` and ``helpful`` are POST only, signed in and
CSRF-checked: 404 for an answer the person may not read (as for a missing
one), 303 back to the question with a message (or JSON to a script).
"""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from authoring.views import write_new
from core.refusals import Refused
from core.responses import done, not_found, refusal_response, sign_in_required

from ..kinds import QUESTION
from ..selectors.questions import answer_for_reader, promised_days, question_of
from ..services import thanks

NOT_FOUND = gettext_lazy("There is no such answer.")


def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question: authoring's form and flow for the question kind, with the service level."""
    response = write_new(request, QUESTION.slug)
    if isinstance(response, TemplateResponse) and response.template_name == "authoring/edit.html":
        response.template_name = "questions/ask.html"
        response.context_data["answer_within_days"] = promised_days(request=request)
    return response


def _answer_action(act, *, sign_in_message: str):
    """The shared shape of ``accept`` and ``helpful`` (see the module docstring)."""

    @never_cache
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            answer = answer_for_reader(user=request.user, pk=pk)
            back = question_of(user=request.user, answer=answer).url if answer else "/"
            return sign_in_required(request, next_url=back or "/", message=sign_in_message)
        answer = answer_for_reader(user=request.user, pk=pk)
        if answer is None:
            return not_found(request, NOT_FOUND)
        question = question_of(user=request.user, answer=answer)
        back = f"{question.get_url(request=request)}#answer-{answer.pk}"
        try:
            message = act(request, answer)
        except Refused as refusal:
            if refusal.status == 404:
                return not_found(request, refusal.message)
            return refusal_response(
                request, refusal, template="questions/refused.html", context={"back": back}
            )
        return done(request, message=message, redirect_to=back, data={"answer": answer.pk})

    view.__name__ = act.__name__
    view.__doc__ = act.__doc__
    return view


def _accept(request: HttpRequest, answer) -> str:
    """Accept the answer (the asker, or a moderator of the question's community)."""
    result = thanks.answer_accept(user=request.user, answer=answer)
    if not result.changed:
        return _("This answer was already the accepted one.")
    return _("Answer accepted. It is now shown first, marked as the accepted answer.")


def _helpful(request: HttpRequest, answer) -> str:
    """Say the answer helped (``undo=1`` takes it back)."""
    if request.POST.get("undo") == "1":
        if thanks.answer_unmark_helpful(user=request.user, answer=answer):
            return _("Your “this helped” is taken back.")
        return _("You had not marked this answer.")
    if thanks.answer_mark_helpful(user=request.user, answer=answer):
        return _("Thank you: the expert and other readers will see this answer helped.")
    return _("You already said this answer helped.")


accept = _answer_action(_accept, sign_in_message=gettext_lazy("Sign in to accept an answer."))
helpful = _answer_action(_helpful, sign_in_message=gettext_lazy("Sign in to say an answer helped."))
