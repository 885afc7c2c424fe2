"""Addresses reversed once per process (issue 17: ~48 ``reverse()`` calls a member's page).

``reverse()`` costs ~25 us, and a page asked it for the same addresses on every
request: the header's links and the share forms through ``{% url %}``
(``core.templatetags.addresses``), a comment's permalink, edit and report links
(``discussion.threads.CommentLinks``). What it gives depends, besides the name
and the arguments, on the URLconf's resolver, the script prefix and the language
(``where``), and on the current application namespace; everything here is
remembered under all of them, in one bounded store that a changed setting empties.
"""

from django.core.signals import setting_changed
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Bounded: share forms and profile links put ids and handles in the key. When
# full it starts again (the next requests reverse and remember anew).
_REMEMBERED: dict[tuple, object] = {}
REMEMBERED_LIMIT = 4096

# A number no object has, reversed in an id's place (``id_address``): what comes
# before and after it is the same for every id (the int converter writes digits).
_MARK = 9_876_543_210_123


def forget(**kwargs: object) -> None:
    """Forget every address (a changed setting may change what ``reverse`` gives)."""
    _REMEMBERED.clear()


setting_changed.connect(forget, dispatch_uid="core.addresses.forget")


def where() -> tuple:
    """What ``reverse`` reads besides its arguments: this thread's resolver, prefix, language."""
    return (get_resolver(get_urlconf()), get_script_prefix(), get_language())


def _remember(key: tuple, value: object) -> None:
    if len(_REMEMBERED) >= REMEMBERED_LIMIT:
        _REMEMBERED.clear()
    _REMEMBERED[key] = value


def remembered_reverse(
    view_name: str, *, args: list, kwargs: dict, current_app: str | None = None
) -> str:
    """``reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)``, remembered.

    The arguments must be plain text or whole numbers (the caller checks): an
    object's ``str()`` may change while it stays equal. ``NoReverseMatch`` is
    raised, and nothing remembered, as ``reverse`` does.
    """
    key = (
        "reverse",
        *where(),
        current_app,
        view_name,
        # Which kind too, so that 1 and "1" stay apart.
        tuple((isinstance(value, str), value) for value in args),
        tuple(sorted((name, isinstance(value, str), value) for name, value in kwargs.items())),
    )
    url = _REMEMBERED.get(key)
    if url is None:
        url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        _remember(key, url)
    return url


def id_address(view_name: str) -> tuple[str, str]:
    """What comes before and after the one id in ``view_name``'s address.

    ``before + str(id) + after`` is what ``reverse(view_name, args=[id])`` gives,
    for any id: one entry per name, however many objects are linked.
    """
    key = ("id", *where(), view_name)
    parts = _REMEMBERED.get(key)
    if parts is None:
        before, _mark, after = reverse(view_name, args=[_MARK]).rpartition(str(_MARK))
        parts = (before, after)
        _remember(key, parts)
    return parts
