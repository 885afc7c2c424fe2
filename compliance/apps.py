from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """A member's rights over their data: the export and the erasure (issue 16).

    At the top of the features (below portal only): both must reach every app
    that keeps something of a member's.
    """

    name = "compliance"
    verbose_name = "Data rights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from compliance import erasure_signals

        # Signing in during the 7-day wait cancels a request to delete the account.
        user_logged_in.connect(
            erasure_signals.cancel_on_sign_in, dispatch_uid="compliance.erasure.cancel_on_sign_in"
        )
