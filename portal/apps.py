from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Kindred portal"

    def ready(self):
        # Kindred emails authors about review decisions itself (links to the
        # site, not only the admin; see portal.moderation.notifications), so
        # Wagtail's approval and rejection emails would be duplicates. Its
        # emails to the next reviewers stay. This app is listed after
        # wagtail.admin so that those handlers exist to disconnect.
        from wagtail.models import WorkflowState
        from wagtail.signals import workflow_approved, workflow_rejected

        # Issue 10, finding 5: the deployment check on TRUSTED_PROXY_COUNT.
        from portal import checks  # noqa: F401

        workflow_approved.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
        )
        workflow_rejected.disconnect(
            sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification"
        )

        # Issue 10, finding 12: no admin CSV export carries a spreadsheet formula.
        from portal.spreadsheets import neutralise_wagtail_exports

        neutralise_wagtail_exports()
