"""The MSME owner's pages under /me/: the dashboard, matched opportunities and their detail, the
profile of each enterprise the owner runs, and the weekly digest.

Above the matcher in the house: it reads suppliers, needs and matches, and acts through their
services. An owner may run several enterprises; every page shows the current one (chosen with
the switcher, kept per account). Every object a page shows goes through one access helper per
model (``selectors.owned_supplier``, ``selectors.owned_match``): another owner's id answers 404.
"""
