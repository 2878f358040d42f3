"""What every subcommand needs: where the project is."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model import Settings


def settings_from(args: argparse.Namespace) -> Settings:
    root = Path(args.root).resolve()
    return Settings(diaries_dir=root / "diaries", cache_dir=root / ".cache" / "diary")
