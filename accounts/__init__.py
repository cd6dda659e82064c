"""Accounts: sign up, log in and out, password reset; login attempts rate-limited (django-axes);
each account's preferences (the language of its emails, its last dashboard visit).

The bottom of the house beside taxonomy: it knows Django's users and nothing of the scheme. What
an account owns (an MSME's supplier profile) is told by the rooms above it.
"""
