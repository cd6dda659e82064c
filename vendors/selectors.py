"""Read queries for supplier profiles: none yet beyond the admin's own querysets.

The MSME's own pages will read their profile, capabilities and certificates through here, with
one access helper that returns the owner's supplier or 404.
"""
