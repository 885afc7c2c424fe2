from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """A member's rights over their data: the export and the erasure (issue 16).

    At the top of the features (below portal only): both must reach every app
    that keeps something of a member's.
    """

    name = "compliance"
    verbose_name = "Data rights"
    default_auto_field = "django.db.models.BigAutoField"
