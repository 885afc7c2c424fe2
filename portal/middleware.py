from django.utils.cache import patch_cache_control


def private_cache_for_signed_in(get_response):
    """Mark every response to a signed-in person ``Cache-Control: private, no-store``.

    What a member sees can carry their drafts, their account, or content only
    members may read; no shared cache and no browser history may keep it.
    Anonymous responses are left to the view (public pages may be cached).
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
