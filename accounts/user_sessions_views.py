"""The sessions page (/accounts/sessions/): see where you are signed in, end the others.

Mounted in ``portal.urls`` ahead of allauth's URLs, at the address and under
the name allauth gives its own list (``usersessions_list``), so every link
and redirect allauth makes lands here; allauth's view is never reached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import idle
from accounts.user_sessions import (
    user_session_end,
    user_sessions_end_others,
    user_sessions_list,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sessions_list(request):
    """GET: the member's sessions. POST: sign out every other session."""
    if request.method == "POST":
        ended = user_sessions_end_others(user=request.user, current_key=request.session.session_key)
        if ended:
            messages.success(request, _("You are now signed out everywhere else."))
        else:
            messages.info(request, _("You were not signed in anywhere else."))
        return HttpResponseRedirect(reverse("usersessions_list"), status=303)
    sessions = user_sessions_list(user=request.user, current_key=request.session.session_key)
    return render(
        request,
        "usersessions/usersession_list.html",
        {
            "sessions": sessions,
            "has_others": any(not session.is_current for session in sessions),
            "limits_text": idle.limits_summary(staff=idle.staff_limits_apply(request)),
        },
    )


@login_required
@require_POST
def session_end(request, session_id):
    """Sign out one other session. Someone else's session, or none, answers 404 alike."""
    if not user_session_end(
        user=request.user, session_id=session_id, current_key=request.session.session_key
    ):
        raise Http404("No such session.")
    messages.success(request, _("That session is signed out."))
    return HttpResponseRedirect(reverse("usersessions_list"), status=303)


urlpatterns = [
    path("", sessions_list, name="usersessions_list"),
    path("<int:session_id>/end/", session_end, name="usersessions_end"),
]
