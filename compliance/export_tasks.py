"""The background task of "Download my data" (queued by
``compliance.services.exports.export_request``).

It carries the export's id, never data: the task queue must hold nothing an
erasure would have to find. Running it twice builds nothing twice
(``export_build`` works only on a pending export).
"""

from django_tasks import task

from compliance.services.exports import export_build


@task(backend="background")
def export_build_task(export_id: int) -> str:
    """Build export ``export_id``'s archive and email its link; returns what happened."""
    return export_build(export_id=export_id)
