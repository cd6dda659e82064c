"""Import and export buttons for the admin: django-import-export's pages, our import service.

django-import-export gives the admin its Import and Export buttons, the upload form, the
preview (a dry run) and the confirm step. Every step below the page goes through the room's
``TableFormat`` instead of import-export's row-by-row resource: the file is read by
``taxonomy.imports`` (the same reader as the commands), the preview is the service's dry run,
the confirm is its real run (one transaction, set-based, history path "import", one rematch),
and errors are the service's, shown by row and column in import-export's error table. A model
admin adds ``TableImportExportMixin`` first among its bases and names its ``table_format``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any, ClassVar

import tablib
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.resources import Resource
from import_export.results import Result, RowResult

from .imports import (
    ImportReport,
    Table,
    TableFormat,
    UnreadableFile,
    decode_csv,
    read_csv,
    table_from_rows,
)
from .imports import read_xlsx as read_workbook

# The preview lists this many rows and the error table this many rows (the counts above them
# cover the whole file; the commands list every error of a file of any size).
PREVIEW_ROWS = 500
ERROR_ROWS = 1_000
ERROR_LINES = 1_000  # errors listed as text ("row 7, column gstin: ...") above the table


class TableCSV(base_formats.CSV):
    """CSV read by the imports' own reader (the commands'), not tablib's."""

    def create_dataset(self, in_stream: str | bytes) -> Table:
        text = in_stream if isinstance(in_stream, str) else decode_csv(in_stream)
        return read_csv(text)


class TableXLSX(base_formats.XLSX):
    """XLSX read by the imports' own reader (the commands'), not tablib's."""

    def create_dataset(self, in_stream: bytes) -> Table:
        return read_workbook(in_stream)


class TableResource(Resource):
    """A resource that hands the whole file to its ``TableFormat`` instead of saving row by row."""

    table_format: ClassVar[TableFormat]

    @classmethod
    def get_display_name(cls) -> str:
        return cls.table_format.name

    def get_user_visible_fields(self) -> list[Field]:
        return [Field(attribute=c, column_name=c) for c in self.table_format.columns]

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(self.table_format.columns)

    def import_data(
        self, dataset: Table | tablib.Dataset, dry_run: bool = False, **kwargs: Any
    ) -> Result:
        if not isinstance(dataset, Table):
            dataset = table_from_rows([dataset.headers or [], *dataset])
        report = self.table_format.run(table=dataset, dry_run=dry_run, user=kwargs.get("user"))
        return report_result(report, dataset)

    def export(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> tablib.Dataset:
        data = tablib.Dataset(headers=list(self.table_format.columns))
        for row in self.table_format.export_rows(queryset):
            data.append(row)
        return data


@cache
def resource_for(table_format: TableFormat) -> type[TableResource]:
    name = f"{table_format.name.title()}TableResource"
    return type(name, (TableResource,), {"table_format": table_format})


def report_result(report: ImportReport, table: Table) -> Result:
    """The service's report as import-export's result: its pages show errors by row and
    column, or the preview rows with what each does."""
    result = Result()
    result.report = report  # the counts and headline, for the template and the message
    result.diff_headers = [h for h in table.headers if h]
    cells = {row.number: row.cells for row in table.rows}
    if report.rejected:
        by_row: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for issue in report.issues:
            by_row[issue.row][issue.column or NON_FIELD_ERRORS].append(issue.message)
        for number in sorted(by_row)[:ERROR_ROWS]:
            errors = {column: list(messages) for column, messages in by_row[number].items()}
            result.append_invalid_row(number, cells.get(number, {}), ValidationError(errors))
        result.hidden_error_rows = max(0, len(by_row) - ERROR_ROWS)
        result.error_lines = [str(issue) for issue in report.issues[:ERROR_LINES]]
        result.hidden_error_lines = max(0, len(report.issues) - ERROR_LINES)
        return result
    for row in table.rows:
        row_result = RowResult()
        row_result.import_type = report.outcomes.get(row.number, RowResult.IMPORT_TYPE_SKIP)
        result.increment_row_result_total(row_result)
        if len(result.rows) < PREVIEW_ROWS:
            row_result.diff = [row.get(column) for column in result.diff_headers]
            result.append_row_result(row_result)
    result.total_rows = len(table)
    return result


class TableImportExportMixin(ImportExportMixin):
    """Import and export of a model admin's table through its ``table_format``."""

    table_format: ClassVar[TableFormat]
    import_formats: ClassVar[list[type[base_formats.Format]]] = [TableCSV, TableXLSX]
    export_formats: ClassVar[list[type[base_formats.Format]]] = [
        base_formats.CSV,
        base_formats.XLSX,
    ]
    export_form_class = ExportForm
    import_template_name = "admin/taxonomy/table_import.html"
    # The history rows (path "import", who) are the record of an import; a LogEntry per row
    # of a 50,000-row file would only slow it down.
    skip_admin_log = True

    def get_resource_classes(self, request: HttpRequest) -> list[type[TableResource]]:
        return [resource_for(self.table_format)]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.table_format.allowed(request.user)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, UnicodeDecodeError):
            # import-export decodes a CSV itself before our reader sees it: same advice.
            try:
                decode_csv(e.object)
            except UnreadableFile as unreadable:
                e = unreadable
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        report: ImportReport = result.report
        if report.rejected:
            # Rows changed between the preview and the confirm: nothing was written, and the
            # errors show as in the preview.
            return self._render_rejected(request, result)
        messages.success(request, " ".join([report.headline(), *report.entity_lines()]))
        url = reverse(
            "admin:{}_{}_changelist".format(*self.get_model_info()),
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(url)

    def _render_rejected(self, request: HttpRequest, result: Result) -> HttpResponse:
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "import_error_display": self.import_error_display,
            "fields_list": [(self.table_format.name, list(self.table_format.columns))],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)
