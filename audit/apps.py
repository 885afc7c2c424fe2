from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who saw a member's non-public data, and the records kept about that (issue 16).

    Low in the layers (just above core) so every app that shows staff a member's
    data (moderation, social, safety, the admin) can record the access.
    """

    name = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"
