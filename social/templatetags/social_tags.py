"""Template helpers for bylines; they read only what the view already loaded."""

from django import template

from social.selectors import author_profile

register = template.Library()


@register.simple_tag(takes_context=True)
def author_profile_url(context, item):
    """The URL of ``item``'s author's profile if this reader may see it, else "".

    Usage: ``{% author_profile_url item as profile_url %}``. The reader comes
    from the request in the context; without one the reader is treated as an
    anonymous visitor (the most restrictive case).
    """
    request = context.get("request")
    viewer = getattr(request, "user", None)
    profile = author_profile(viewer=viewer, item=item)
    return profile.get_absolute_url() if profile is not None else ""
