from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse


@login_required
def notification_list(request):
    """Placeholder until notifications land (issue 6)."""
    return TemplateResponse(request, "social/notifications/list.html", {})
