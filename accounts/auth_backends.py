"""The one authentication backend (``AUTHENTICATION_BACKENDS``): allauth's, hashing once.

allauth signs in by email or username. With Django's ``ModelBackend`` listed
as well, and allauth trying an email-shaped login first as an address, then as
a username, then as an address again, a wrong password for a registered
address cost three password hashes and for an unknown one two: the response
time told whether an address has an account (issue 10, finding 4).

Here every attempt with a password costs exactly one hash: the first matching
account's password is checked once (a second lookup that finds the same
account does not check it again), and when nothing matches allauth hashes the
password against nothing instead. (A login that is one member's address and
another's username still tries both: that is rare, and refusing it would lock
the second out.) Permissions are ``ModelBackend``'s, which
allauth's backend inherits.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend


class AuthenticationBackend(AllauthBackend):
    def authenticate(self, request, **credentials):
        # Accounts whose password this attempt has checked (and found wrong).
        self._checked = set()
        return super().authenticate(request, **credentials)

    def _check_password(self, user, password):
        if user is not None and user.pk in self._checked:
            # Checked already in this attempt, and wrong: hashing it again
            # would only make a registered login slower than an unknown one.
            return None
        result = super()._check_password(user, password)
        if user is not None and result is None:
            self._checked.add(user.pk)
        return result
