"""Accounts named by a pseudonym for the length of one request or one email.

An anonymous asker (``questions``) is seen by reviewers under a pseudonym,
never by their account. Wagtail names a user wherever its admin shows one
(the status panel, page and workflow history, revisions, filters, reviewers'
emails) through ``get_full_name``; ``User.public_name`` asks ``name_shown_for``
first, so one rule covers every one of those places, including those a
Wagtail upgrade adds, without copying Wagtail's templates.

Names are set only inside a ``scope`` and are gone when it ends (a server
reuses its threads, and a context variable would otherwise outlive the
request that set it). Outside any scope every account is named as usual.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

# None (the default) names every account as usual; a ContextVar's default must not be mutable.
_SHOWN_AS: ContextVar[Mapping[int, str] | None] = ContextVar("accounts_shown_as", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Whatever ``show_as`` sets inside the block ends with it."""
    token = _SHOWN_AS.set(_SHOWN_AS.get())
    try:
        yield
    finally:
        _SHOWN_AS.reset(token)


def show_as(names: Mapping[int, str]) -> None:
    """Until the enclosing ``scope`` ends, name the accounts with these ids by these names."""
    _SHOWN_AS.set({**(_SHOWN_AS.get() or {}), **names})


@contextmanager
def shown_as(names: Mapping[int, str]) -> Iterator[None]:
    """Within the block, name the accounts with these ids by these names."""
    with scope():
        show_as(names)
        yield


def name_shown_for(user_id: int | None) -> str | None:
    """The pseudonym the account with ``user_id`` goes by here, or None for its own name."""
    names = _SHOWN_AS.get()
    return names.get(user_id) if names else None
