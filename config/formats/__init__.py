"""Dates and numbers as people in India write them, in English and Hindi (FORMAT_MODULE_PATH).

Django's English formats are American ("Dec. 15, 2025", 12/15/2025 typed in forms); these read
"15 Dec 2025" everywhere Django formats a date itself (the admin's lists, history and forms) and
take dates typed day first (15/12/2025), never month first. ``taxonomy.formatting`` writes the
same "j M Y" for the pages.
"""
