"""Consortia: teams of nearby MSMEs for needs no single supplier can serve."""
