"""The table behind the 简体 / 原文 switch (assets/diary-script.js), written by Python from text.fold's table.

One table for search and display: the switch shows exactly what search folds to, and a fix to fold.py reaches the
switch with the next build. The file is a script setting a global, so it loads from file:// and offline.
"""

from __future__ import annotations

import json

from ..text.fold import fold_table

ASSET = "diary-fold.js"  # beside diary-script.js, which finds it from its own URL


def fold_table_script() -> str:
    pairs = "".join(k + v for k, v in fold_table().items())
    return f"window.__diaryFoldTable={json.dumps(pairs, ensure_ascii=False)};\n"
