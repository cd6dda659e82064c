"""Month names whose Hindi the project corrects: Django's own spells सितमबर, नवमबर, दिसमबर,
"मा" and "दिस्". The project's locale (locale/hi) overrides them; these marked strings exist so
that ``makemessages`` keeps those entries. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

CORRECTED_IN_HINDI = (
    gettext_noop("September"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("mar"),
    gettext_noop("dec"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
