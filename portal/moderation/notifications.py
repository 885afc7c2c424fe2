"""Telling authors what reviewers decided, by email, through a background task.

Wagtail's own approval and rejection emails point at the admin, which
members never use; Kindred replaces them (see ``PortalConfig.ready``) with
one email per decision that links to the author's own pages on the site,
plus the admin for authors who work there.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from django_tasks import task

APPROVED = "approved"
PUBLISHED = "published"
CHANGES_REQUESTED = "changes requested"


def site_url(path):
    return settings.KINDRED_BASE_URL.rstrip("/") + path


def review_decision_notify(*, task_state, action):
    """Queue the email telling the author of ``task_state``'s page what was decided."""
    send_review_decision_email.enqueue(task_state.pk, action)


@task(backend="background")
def send_review_decision_email(task_state_id, action):
    """Email the page's author about one review decision (approve or reject)."""
    from wagtail.models import TaskState, WorkflowState

    task_state = (
        TaskState.objects.select_related("workflow_state", "task").filter(pk=task_state_id).first()
    )
    if task_state is None:
        return
    page = task_state.workflow_state.content_object.specific
    author = getattr(page, "author", None) or page.owner
    if author is None or not author.is_active or not author.email:
        return
    if action == "reject":
        outcome = CHANGES_REQUESTED
    elif page.live and task_state.workflow_state.status == WorkflowState.STATUS_APPROVED:
        outcome = PUBLISHED
    else:
        outcome = APPROVED
    context = {
        "author": author,
        "title": page.draft_title or page.title,
        "outcome": outcome,
        "step": task_state.task.name,
        "comment": task_state.comment,
        "page_url": page.full_url if page.live else "",
        "contributions_url": site_url(reverse("authoring:contributions")),
        "admin_url": (
            site_url(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
            if author.has_perm("wagtailadmin.access_admin")
            else ""
        ),
    }
    subject = render_to_string("emails/review_decision_subject.txt", context).strip()
    body = render_to_string("emails/review_decision.txt", context)
    send_mail(subject, body, None, [author.email])
