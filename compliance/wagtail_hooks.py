# Wagtail imports this module of every app; the export's and the erasure's hooks
# live in their own modules.
from compliance import erasure_hooks, export_hooks  # noqa: F401
