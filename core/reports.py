"""What Kindred's admin reports share: a filter that cannot be read answers in words.

Wagtail's report views ignore a filter they cannot read (a date that is no date, an
unknown choice) and list everything. For the organisation's records (the consent ledger,
the access log, the audit trail) that would look like an answer to the question asked,
so these reports list nothing instead, say which filter was not understood, and refuse a
download with such filters (400, in words) rather than export every row.
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.utils.encoding import force_str

INVALID_FILTERS = "These filters could not be read, so nothing is listed: {errors}"


class StrictFiltersMixin:
    """For a Wagtail ``ReportView`` (or ``LogEntriesView``); list it before the view.

    ``filter_errors_inline``: the report's own template shows ``filter_errors``
    (the audit trail's does), so no message is added as well.
    """

    filter_errors_inline = False

    @property
    def filter_errors(self) -> list[str]:
        """What is wrong with the filters, one "Field: problem" per error (none when valid)."""
        if not self.filters or self.filters.is_valid():
            return []
        form = self.filters.form
        errors = []
        for name, problems in form.errors.items():
            field = form.fields.get(name)
            label = force_str(field.label) if field is not None and field.label else "Filters"
            errors.extend(f"{label}: {problem}" for problem in problems)
        return errors

    def filter_errors_text(self) -> str:
        return INVALID_FILTERS.format(errors="; ".join(self.filter_errors))

    def dispatch(self, request, *args, **kwargs):
        if self.filter_errors:
            if request.GET.get("export"):
                return HttpResponseBadRequest(
                    self.filter_errors_text(), content_type="text/plain; charset=utf-8"
                )
            if not self.results_only and not self.filter_errors_inline:
                messages.error(request, self.filter_errors_text())
        return super().dispatch(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        if self.filter_errors:
            return queryset.none()
        return super().filter_queryset(queryset)
