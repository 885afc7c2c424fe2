from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    """Members write on the site: the writing form, My contributions, submitting for review."""

    name = "authoring"
    verbose_name = "Authoring"
