"""Development settings: ``make demo``."""

from config.settings.base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
