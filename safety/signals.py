"""Signal receivers: they queue the background scans (``safety.tasks``). Filled in by the
integration of issue 15."""


def connect() -> None:
    """Called once from ``SafetyConfig.ready``."""
