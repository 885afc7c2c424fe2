"""Signing in, addresses, consents, sessions, exports; then the account becomes a tombstone.

The ``User`` row is not deleted (the lead's decision, issue 16): log entries,
the consent ledger, access records and kept pages go on pointing at its id,
which by the end names nobody: ``erased-<random>``, no address, no name but
"Former member", no usable password, inactive, in no group.
"""

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from wagtail.users.models import UserProfile

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession

from accounts.models import Consent
from compliance.services.exports import exports_delete_for
from core.models import SubmissionReceipt

from . import FORMER_MEMBER, Erasure


def identity_remember(erasure: Erasure) -> None:
    """The member's names and addresses, before anything is removed, for scrubbing elsewhere."""
    user = erasure.user
    for text in (user.username, user.email, user.display_name, user.first_name, user.last_name):
        erasure.needle(text)
    # "First Last" as Wagtail's get_full_name writes it in log labels.
    erasure.needle(f"{user.first_name} {user.last_name}")
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    erasure.emails = {address.strip().lower() for address in addresses if address}
    for address in erasure.emails:
        erasure.needle(address)


def sessions_end(user, *, thorough: bool = False) -> int:
    """Sign ``user`` out of every browser; how many sessions ended.

    allauth's rows name every session made by signing in. ``thorough`` also
    reads the whole session table once for any it does not track (made
    before it was installed): the erasure job does, the request page does
    not (it would read every visitor's session while the member waits).
    Each is deleted through the session store, so a cached session leaves
    the cache as well.
    """
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    UserSession.objects.filter(user=user).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if thorough and hasattr(store, "get_model_class"):
        for session in store.get_model_class().objects.iterator():
            if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
                keys.add(session.session_key)
    for key in keys:
        store(key).delete()
    return len(keys)


def sessions_erase(erasure: Erasure) -> None:
    """Every session of the account (allauth's rows and the sessions themselves)."""
    erasure.add("sessions", sessions_end(erasure.user, thorough=True))


def addresses_erase(erasure: Erasure) -> None:
    """allauth's addresses (their confirmations go with them)."""
    erasure.add(
        "email_addresses",
        EmailAddress.objects.filter(user=erasure.user).delete()[1].get(EmailAddress._meta.label, 0),
    )


def records_erase(erasure: Erasure) -> None:
    """Consent state, submission receipts, Wagtail's admin profile (and its picture)."""
    user = erasure.user
    # The consent ledger (accounts.ConsentEvent) is the organisation's record and
    # stays, pointing at the tombstone; the current state is the member's.
    erasure.add("consents", Consent.objects.filter(user=user).delete()[0])
    erasure.add("submission_receipts", SubmissionReceipt.objects.filter(user=user).delete()[0])
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            erasure.files.append((profile.avatar.storage, profile.avatar.name))
            erasure.add("avatar_files", 1)
        profile.delete()


def exports_erase(erasure: Erasure) -> None:
    """The archives of the member's data exports (the export's own service deletes them).

    The rows stay, without a file and naming nothing but the tombstone, as the
    record that the copies were asked for.
    """
    erasure.add("data_export_files", exports_delete_for(user=erasure.user))


def tombstone(erasure: Erasure) -> None:
    """The account becomes a pseudonym: nothing left that names the person."""
    user = erasure.user
    user.username = f"erased-{secrets.token_hex(12)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.display_name = FORMER_MEMBER
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
