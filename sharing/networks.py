"""The places a reader may share an item to, and the address each share goes to.

No network's script is ever loaded and nothing is contacted until the reader
chooses one: the share button posts to Kindred (``sharing.views.share``),
which records the share and sends the browser on to the address built here.

Networks with one fixed origin (Facebook, X, LinkedIn, Xing, WhatsApp) are
sent there directly with a 303; their origins are in the Content-Security-
Policy's ``form-action`` (``FORM_ACTION_ORIGINS``), which browsers apply to a
form's redirects. Mastodon has no one origin (each reader has their own
server), copying a link has no address at all and email opens the reader's
mail program: those three go to Kindred's own "continue" page, which holds
a plain link (links are not governed by ``form-action``).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop


@dataclass(frozen=True)
class Network:
    """One place to share to. ``slug`` is what URLs, rules and the log say."""

    slug: str
    # English (gettext_noop); ``_(label)`` says it in the reader's language.
    label: str
    # The origin browsers are redirected to; None for those that go through
    # Kindred's continue page (see the module's docstring).
    origin: str | None
    # Whether the reader names their own server (Mastodon).
    needs_instance: bool = False

    @property
    def button_label(self) -> str:
        """What its button says: "Share on X", or the action itself ("Email", "Copy link")."""
        if self.origin is None and not self.needs_instance:
            return _(self.label)
        return _("Share on %(network)s") % {"network": self.label}

    def share_address(self, *, url: str, title: str, instance: str = "") -> str:
        """Where the browser goes to share ``url`` (the item's address) titled ``title``."""
        text = f"{title} {url}"
        if self.slug == "facebook":
            return f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"
        if self.slug == "x":
            return f"https://x.com/intent/post?{urlencode({'url': url, 'text': title})}"
        if self.slug == "linkedin":
            return f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}"
        if self.slug == "xing":
            return f"https://www.xing.com/spi/shares/new?{urlencode({'url': url})}"
        if self.slug == "whatsapp":
            return f"https://api.whatsapp.com/send?{urlencode({'text': text})}"
        if self.slug == "mastodon":
            return f"https://{instance}/share?{urlencode({'text': text})}"
        if self.slug == "email":
            return f"mailto:?subject={quote(title)}&body={quote(url)}"
        # "copy": the reader copies the address itself.
        return url


NETWORKS: dict[str, Network] = {
    network.slug: network
    for network in (
        Network("facebook", "Facebook", "https://www.facebook.com"),
        Network("x", "X", "https://x.com"),
        Network("linkedin", "LinkedIn", "https://www.linkedin.com"),
        Network("xing", "Xing", "https://www.xing.com"),
        Network("mastodon", "Mastodon", None, needs_instance=True),
        Network("whatsapp", "WhatsApp", "https://api.whatsapp.com"),
        Network("email", gettext_noop("Email"), None),
        Network("copy", gettext_noop("Copy link"), None),
    )
}
NETWORK_CHOICES = [(slug, gettext_lazy(network.label)) for slug, network in NETWORKS.items()]

# The origins a share's redirect may go to (portal.settings: form-action).
FORM_ACTION_ORIGINS = [network.origin for network in NETWORKS.values() if network.origin]

# A Mastodon server is named by its host alone: letters, digits, hyphens and
# dots, at least one dot, no port, path, user or scheme. Internationalised
# names are accepted and turned into their ASCII (punycode) form.
INSTANCE_MAX_LENGTH = 253
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.[a-z]{{2,63}}$")


def instance_host(raw: str) -> str:
    """The Mastodon server ``raw`` names, as a lower-case ASCII host; ``ValidationError`` if none.

    People paste "mastodon.social", "https://mastodon.social/" or
    "@me@mastodon.social"; all three name the same server. Anything with a
    port, a path beyond "/", credentials or a bare address is refused, so the
    address built from it can only be ``https://<host>/share``.
    """
    value = (raw or "").strip()
    if not value or len(value) > INSTANCE_MAX_LENGTH + len("https://") + 1:
        raise ValidationError(_("Enter your Mastodon server, for example mastodon.social."))
    value = re.sub(r"^https://", "", value, flags=re.IGNORECASE).rstrip("/")
    if value.startswith("@") and value.count("@") == 2:
        value = value.rsplit("@", 1)[1]
    try:
        host = value.encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = ""
    if len(host) > INSTANCE_MAX_LENGTH or not _HOST.match(host):
        raise ValidationError(
            _(
                "That is not a Mastodon server’s name. Enter just the server, for example "
                "mastodon.social."
            )
        )
    return host
