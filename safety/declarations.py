"""The site's declarations and crisis help, read from ``SafetySettings`` through the cache.

Every page's footer shows the sponsor's declaration, so reading the setting must cost
no query on a warm cache: ``safety_settings_for`` keeps the setting's values in Django's
cache, one key per site, and ``connect()`` drops the key whenever the setting is saved
or deleted, so an edit in the admin (Settings › Safety and declarations) shows at once.

``crisis_help_for`` builds what ``templates/safety/includes/crisis_help.html`` shows:
the emergency text first, then the helplines per country (the site's own, or
``DEFAULT_HELPLINES`` while it has none, so a fresh site still shows help).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from wagtail.models import Site

from safety.crisis_help import take_crisis_help
from safety.models import SafetySettings

CACHE_KEY = "kindred.safety.settings:{site_id}"
# A save or a delete drops the key at once (``connect``); the timeout only bounds how long
# a change made around the signals (a queryset ``update``, a shell) can go unseen.
CACHE_TIMEOUT = 6 * 60 * 60
_CACHED_FIELDS = (
    "id",
    "site_id",
    "sponsor_declaration",
    "emergency_text",
    "reporting_scheme_name",
    "reporting_scheme_url",
)


@dataclass(frozen=True)
class PhoneNumber:
    """A number as readers see it, and the ``tel:`` address a phone dials."""

    shown: str
    tel: str


@dataclass(frozen=True)
class Helpline:
    country: str
    name: str
    phone: str = ""
    hours: str = ""
    url: str = ""

    @property
    def numbers(self) -> list[PhoneNumber]:
        """The numbers in ``phone``: one field may hold several ("0800 111 0 111 / 0800 111
        0 222"); each gets its own ``tel:`` link. Text without digits gives none."""
        numbers = []
        for part in re.split(r"\s*(?:/|;|,|\bor\b)\s*", self.phone):
            part = part.strip()
            digits = re.sub(r"[^\d]", "", part)
            if digits:
                plus = "+" if part.startswith("+") else ""
                numbers.append(PhoneNumber(shown=part, tel=f"{plus}{digits}"))
        return numbers


@dataclass(frozen=True)
class Country:
    name: str
    helplines: list[Helpline] = field(default_factory=list)


@dataclass(frozen=True)
class CrisisHelp:
    """What someone whose words suggest a crisis sees: the emergency text, then helplines."""

    emergency_text: str
    helplines: list[Helpline]

    @property
    def countries(self) -> list[Country]:
        """The helplines grouped by country, in the order the setting lists them."""
        grouped: dict[str, list[Helpline]] = {}
        for helpline in self.helplines:
            grouped.setdefault(helpline.country, []).append(helpline)
        return [Country(name=name, helplines=lines) for name, lines in grouped.items()]


# Shown while the site's setting lists no helplines (a fresh site). Checked December 2026.
DEFAULT_HELPLINES = (
    Helpline(
        country="United Kingdom",
        name="Samaritans",
        phone="116 123",
        hours="24 hours, every day, free",
        url="https://www.samaritans.org/",
    ),
    Helpline(
        country="Deutschland",
        name="TelefonSeelsorge",
        phone="0800 111 0 111 / 0800 111 0 222",
        hours="24 Stunden, jeden Tag, kostenfrei",
        url="https://www.telefonseelsorge.de/",
    ),
    Helpline(
        country="United States",
        name="988 Suicide & Crisis Lifeline (call or text)",
        phone="988",
        hours="24 hours, every day",
        url="https://988lifeline.org/",
    ),
)


def _cache_key(site_id: int) -> str:
    return CACHE_KEY.format(site_id=site_id)


def _snapshot(settings: SafetySettings) -> dict[str, Any]:
    """The setting's values as plain data: what the cache keeps (no pickled model or
    StreamValue, so a cached entry survives a deploy)."""
    values = {name: getattr(settings, name) for name in _CACHED_FIELDS}
    values["helplines"] = list(settings.helplines.raw_data)
    return values


def safety_settings_for(site: Site | None) -> SafetySettings:
    """``site``'s ``SafetySettings``, from the cache when it holds them (no query).

    A cold cache costs one query. A site whose setting was never saved gets the
    defaults, unsaved (unlike ``SafetySettings.for_site``, reading never writes, so a
    page view never inserts a row). No site (an unknown host and no default site)
    gets the defaults too. The instance is for reading: changes are saved in the admin.
    """
    if site is None:
        return SafetySettings()
    key = _cache_key(site.pk)
    values = cache.get(key)
    if values is None:
        settings = SafetySettings.objects.filter(site=site).first() or SafetySettings(site=site)
        cache.set(key, _snapshot(settings), CACHE_TIMEOUT)
        return settings
    return SafetySettings(**values)


def _forget(sender, instance: SafetySettings, **kwargs) -> None:
    if instance.site_id is not None:
        cache.delete(_cache_key(instance.site_id))


def connect() -> None:
    """Drop a site's cached settings whenever they are saved or deleted; called once from
    ``safety.signals.connect``."""
    post_save.connect(_forget, sender=SafetySettings, dispatch_uid="safety.declarations.saved")
    post_delete.connect(_forget, sender=SafetySettings, dispatch_uid="safety.declarations.deleted")


def helplines_of(settings: SafetySettings) -> list[Helpline]:
    """The setting's helplines, or ``DEFAULT_HELPLINES`` when it lists none."""
    helplines = [
        Helpline(
            country=block.value.get("country") or "",
            name=block.value.get("name") or "",
            phone=block.value.get("phone") or "",
            hours=block.value.get("hours") or "",
            url=block.value.get("url") or "",
        )
        for block in settings.helplines
        if block.block_type == "helpline"
    ]
    return helplines or list(DEFAULT_HELPLINES)


def crisis_help_for(request: HttpRequest) -> CrisisHelp:
    """The help to show on this response: the site's emergency text, then its helplines.

    For a view that decides by itself to show help (search, on words that suggest a
    crisis): put the result in the context as ``crisis_help`` and ``base.html`` shows it
    at the top of the page. Since help is shown now, a pending mark from
    ``show_crisis_help`` is cleared too: the help is not shown twice.
    """
    take_crisis_help(request)
    settings = safety_settings_for(Site.find_for_request(request))
    return CrisisHelp(
        emergency_text=settings.emergency_text or SafetySettings().emergency_text,
        helplines=helplines_of(settings),
    )


__all__ = [
    "DEFAULT_HELPLINES",
    "CrisisHelp",
    "Helpline",
    "connect",
    "crisis_help_for",
    "helplines_of",
    "safety_settings_for",
]
