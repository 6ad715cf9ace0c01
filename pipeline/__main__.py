"""``python -m pipeline`` is the ``minutes`` command."""
from __future__ import annotations

from pipeline.cli import entry

entry()
