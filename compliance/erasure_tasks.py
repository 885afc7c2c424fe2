"""The erasure's background task: it carries the request's id, never the member's data."""

from django_tasks import task

from compliance.models import ErasureRequest


@task(backend="background")
def erasure_run(request_id: int) -> str:
    """Erase the account of request ``request_id`` if it is still due; says what happened."""
    from compliance.services.erasure import erasure_perform

    request = ErasureRequest.objects.filter(pk=request_id).first()
    if request is None:
        return "missing"
    return erasure_perform(request=request).status
