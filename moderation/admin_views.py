"""The review queue inside the Wagtail admin, and review decisions that say what happened.

Wagtail's dashboard lists what awaits review without the item's type, names
people by username and acts without a word of confirmation. Kindred's queue
(a page of its own, and the dashboard panel in ``moderation.wagtail_hooks``) shows
type, author, step and waiting time, and its decisions go through
``ReviewDecisionView``: Wagtail's own workflow action (same modal, same task
code) that only accepts an item waiting for this reviewer and ends with a
message naming the item and what happens next.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState, WorkflowState

from . import selectors
from .workflow import PublicationVetoed, community_veto

QUEUE_PAGE_SIZE = 50
# The triples Wagtail's review tasks offer: Approve, Approve with comment, Request changes.
DECISIONS = ("approve", "reject")


def review_queue(request):
    """Everything waiting for this reviewer's decision, longest-waiting first."""
    if not selectors.is_reviewer(user=request.user):
        return permission_denied(request)
    paginator = Paginator(selectors.review_queue_ordered(user=request.user), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "moderation/admin/review_queue.html",
        {
            "page_title": _("Review queue"),
            "header_title": _("Review queue"),
            "header_icon": "tasks",
            "items": selectors.queue_items(user=request.user, states=page.object_list),
            "notices": selectors.review_notices(user=request.user),
            "page_obj": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "waiting": paginator.count,
        },
    )


def review_decision_message(*, task_state):
    """What a reviewer is told after deciding ``task_state``: the item, and what happens next."""
    workflow_state = WorkflowState.objects.select_related(
        "current_task_state__task", "workflow"
    ).get(pk=task_state.workflow_state_id)
    page = workflow_state.content_object
    title = page.draft_title or page.title
    commented = bool(task_state.comment.strip())
    if task_state.status == TaskState.STATUS_REJECTED:
        if commented:
            return _(
                "Changes requested on “%(title)s”: the author has been sent your comment "
                "and can resubmit it."
            ) % {"title": title}
        return _(
            "Changes requested on “%(title)s”: the author has been told and can resubmit it."
        ) % {"title": title}
    if not commented:
        comment = ""
    elif task_state.task.specific.comment_reaches_author(approved=True):
        comment = " " + _("The author will see your comment.")
    else:
        comment = " " + _("Your note goes with it to the next reviewer.")
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        if page.live:
            return _("Approved: “%(title)s” is published.") % {"title": title} + comment
        return _("Approved: “%(title)s” has passed every review step.") % {"title": title} + comment
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        next_task = workflow_state.current_task_state.task
        # Kindred's own step names are in the catalogue; a name an administrator gave
        # stays as written (lower-cased in English, where it stands mid-sentence).
        step = _(next_task.name)
        if step == next_task.name:
            step = step.lower()
        order = list(
            workflow_state.workflow.workflow_tasks.order_by("sort_order").values_list(
                "task_id", flat=True
            )
        )
        went_back = (
            next_task.pk in order
            and task_state.task_id in order
            and order.index(next_task.pk) <= order.index(task_state.task_id)
        )
        if went_back:
            # Kindred requires approval again after an edit: a version saved
            # during review (the page editor saves one when its form differs)
            # sends the item back to the first step.
            return (
                _(
                    "Approved “%(title)s”, but it was changed after an earlier approval, "
                    "so it goes back to %(step)s."
                )
                % {"title": title, "step": step}
                + comment
            )
        return (
            _("Approved “%(title)s”: it now goes to %(step)s.")
            % {
                "title": title,
                "step": step,
            }
            + comment
        )
    return _("Approved “%(title)s”.") % {"title": title} + comment


def add_decision_message(request, *, task_state):
    """If ``request.user`` has just decided ``task_state`` (reloaded here), say what
    happened; returns whether they had. An invalid form decides nothing."""
    task_state.refresh_from_db()
    decided = (
        task_state.status in (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
        and task_state.finished_by_id == request.user.pk
    )
    if decided:
        messages.success(request, review_decision_message(task_state=task_state))
    return decided


class ReviewDecisionView(WorkflowActionView):
    """Wagtail's workflow action for pages, restricted to the reviewer's own queue.

    Wagtail's view loads any task state by id and checks the action against the
    page in the address, which need not be the task state's page; here both
    must name an item waiting for this reviewer, or the answer is 404, the same
    as for an item that does not exist.
    """

    submit_url_name = "kindred_review:decide"

    def get_redirect_url(self):
        return get_valid_next_url_from_request(self.request) or reverse("kindred_review:queue")

    def get_task_state(self):
        task_state = selectors.review_queue_task_state(
            user=self.request.user, page_id=self.pk, task_state_id=self.task_state_id
        )
        if task_state is None:
            raise Http404
        return task_state

    def get_task(self):
        return self.task_state.task.reviewtask

    def check_action(self):
        if self.action_name not in DECISIONS:
            raise Http404
        super().check_action()

    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except PublicationVetoed as vetoed:
            # The approval was rolled back; say why, where the reviewer returns.
            messages.error(request, str(vetoed))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(
                    request, {"step": "success", "redirect": self.get_redirect_url()}
                )
            return redirect(self.get_redirect_url())
        add_decision_message(request, task_state=self.task_state)
        return response


def _is_last_step(task_state) -> bool:
    last = (
        task_state.workflow_state.workflow.workflow_tasks.order_by("-sort_order")
        .values_list("task_id", flat=True)
        .first()
    )
    return last == task_state.task_id


def capture_task_state(request, page):
    """``before_edit_page``: remember the step a reviewer may be deciding in the editor.

    An approval that would publish an item its author may no longer publish
    (``community_veto``) is answered with the reason before anything is saved,
    instead of the bare 403 the refused publication would give.
    """
    if request.method == "POST" and request.POST.get("action-workflow-action"):
        task_state = page.current_workflow_task_state
        request.kindred_review_task_state = task_state
        approving = request.POST.get("workflow-action-name") == "approve"
        if approving and task_state is not None and _is_last_step(task_state):
            reason = community_veto(page.get_latest_revision(), lock=False)
            if reason:
                messages.error(request, reason)
                return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def confirm_editor_decision(request, page):
    """``after_edit_page``: after a decision taken in the page editor, say what happened
    and go back to the review queue (the reviewer may no longer edit the page)."""
    task_state = getattr(request, "kindred_review_task_state", None)
    if task_state is None:
        return None
    if not add_decision_message(request, task_state=task_state):
        return None
    return redirect(get_valid_next_url_from_request(request) or "kindred_review:queue")
