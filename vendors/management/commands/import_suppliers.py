"""`python manage.py import_suppliers FILE [--dry-run]`: suppliers from a CSV or XLSX file."""

from taxonomy.import_command import ImportCommand
from vendors.imports import SUPPLIER_TABLE


class Command(ImportCommand):
    help = (
        "Import suppliers (one row per supplier × process) from a .csv or .xlsx file: every row "
        "is checked first; any error rejects the file with every error by row and column, and "
        "nothing is written. An existing Udyam number updates that supplier."
    )
    table_format = SUPPLIER_TABLE
