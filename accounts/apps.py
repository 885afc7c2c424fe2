from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Issue 10, finding 11: a session's clock starts at sign-in (accounts/idle.py).
        from django.contrib.auth.signals import user_logged_in

        from accounts import idle

        user_logged_in.connect(idle.on_signed_in, dispatch_uid="accounts.idle.on_signed_in")
