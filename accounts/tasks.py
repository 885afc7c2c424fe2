"""Background work for accounts: the emails allauth sends (confirm, reset, "already registered").

Sent by the background worker, never inside the request: how long a mail
server takes must not tell whether an address has an account (issue 10,
finding 4). Runs on the "background" backend like every Kindred email.
"""

from django.core.mail import EmailMultiAlternatives

from django_tasks import task


def message_data(message):
    """``message`` (an ``EmailMessage``) as JSON-ready data for ``send_account_email``."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
        "content_subtype": message.content_subtype,
    }


@task(backend="background")
def send_account_email(message):
    """Send one email that allauth rendered (``message_data``); returns how many were sent."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
        alternatives=[tuple(alternative) for alternative in message["alternatives"]],
    )
    email.content_subtype = message["content_subtype"]
    return email.send()
