"""The scheme's side: the REPM scheme with its figures, sources and timeline, the integrated
facilities and the needs they put to MSMEs; and the public pages about them (home, facilities,
clusters).

Sits beside ``vendors`` (neither imports the other) on top of ``clusters`` and ``taxonomy``.
"""
