"""Actions that change geography or clusters: none yet.

States, districts and clusters are reference data, loaded by ``seeding`` and edited by
administrators in the admin; a service lands here when an edit needs more than a save.
"""
