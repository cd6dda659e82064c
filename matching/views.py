"""Pages of the matcher: none yet (an MSME's matched opportunities will live here)."""
