"""Settings of the benchmarks' web server: the project's, plus ``bench/_bare_urls.py``."""

from courtexec.settings import *  # noqa: F403

ROOT_URLCONF = "bench._bare_urls"
