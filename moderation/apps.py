from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Editorial and medical review: the review task, the queue, who may see what in the admin."""

    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Kindred tells authors about review decisions itself (links to the site,
        # not only the admin; see social.notifications), so Wagtail's approval and
        # rejection emails would be duplicates. Its emails to the next reviewers
        # stay. This app is listed after wagtail.admin so that those handlers
        # exist to disconnect.
        from wagtail.models import WorkflowState
        from wagtail.signals import workflow_approved, workflow_rejected

        workflow_approved.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
        )
        workflow_rejected.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification"
        )
