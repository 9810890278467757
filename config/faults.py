"""Fault injection for the fault tests (tests/hardening/test_faults__*.py); off unless asked.

With ``ONEWINDOW_FAULT_PAUSE=<point>`` in the environment, ``fault_point(<point>)``
touches the file named by ``ONEWINDOW_FAULT_MARKER`` and sleeps, so a test can
SIGKILL the process exactly there. Without the variable it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def fault_point(name: str) -> None:
    """Pause here (after saying so in the marker file) when the environment asks for it."""
    if os.environ.get("ONEWINDOW_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("ONEWINDOW_FAULT_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("ONEWINDOW_FAULT_SECONDS", "120")))
