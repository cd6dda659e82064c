"""`python manage.py import_needs FILE [--dry-run]`: facilities' needs from a CSV or XLSX file."""

from schemes.imports import NEED_TABLE
from taxonomy.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import facilities' needs from a .csv or .xlsx file: every row is checked first; any "
        "error rejects the file with every error by row and column, and nothing is written. A "
        "facility's existing reference updates that need."
    )
    table_format = NEED_TABLE
