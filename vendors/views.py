"""Pages of the suppliers room: none yet (the MSME profile pages will live here)."""
