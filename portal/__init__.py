"""The MSME owner's pages under /me/: the dashboard, matched opportunities and their detail.

Above the matcher in the house: it reads suppliers, needs and matches, and acts through their
services. Every object a page shows goes through one access helper per model
(``selectors.owned_supplier``, ``selectors.owned_match``): another owner's id answers 404.
"""
