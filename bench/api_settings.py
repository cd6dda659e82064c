"""Settings of the API benchmark's server: production's, with the bench-only URLs added.

HTTPS redirects off (the load generator speaks plain HTTP on localhost); everything else, the
throttle's cache round trip included, as deployed. Never used outside ``make bench-api``.
"""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
