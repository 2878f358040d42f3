"""What every subcommand needs: where the project is."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..corpus.discover import missing_diaries_dir
from ..diagnostics import Diagnostic
from ..model import Settings


class ProjectNotFound(Exception):
    """No diaries/ folder where the command looked: said once, in Chinese, with exit code 1 (see cli.main)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def settings_from(args: argparse.Namespace) -> Settings:
    root = Path(args.root).resolve()
    settings = Settings(diaries_dir=root / "diaries", cache_dir=root / ".cache" / "diary")
    missing = missing_diaries_dir(settings.diaries_dir)
    if missing is not None:
        # a wrong --root or folder would otherwise "succeed" with 0 entries, or create diaries/ in a stray place
        raise ProjectNotFound(missing)
    return settings
