"""The suppliers' side: MSME profiles, the processes they offer (capabilities) and the
certificates they hold, with the identifier rules (Udyam, GSTIN, PAN, PIN) and the fields derived
from them.

Sits beside ``schemes`` (neither imports the other) on top of ``clusters`` and ``taxonomy``.
"""
