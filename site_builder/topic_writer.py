"""`diary tag --write`: add a topics line to an entry's front matter and change nothing else in the file.

The file keeps its encoding, byte-order mark, line endings, comments, key order and quoting: the only difference
is one inserted line before the closing `---`. Written through a temporary file and os.replace, so an interrupted
run leaves either the old file or the new one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .frontmatter import decode

_CHINESE_KEY = re.compile(r"^\s*[\u4e00-\u9fff]+\s*[:：]", re.M)
_TOPICS_KEY = re.compile(r"^\s*(topics|tags|主题|主題|标签|標籤|分类|分類)\s*[:：]", re.M)


def topics_line(front_matter: str, slugs: list[str]) -> str:
    """Written in the file's own style: Chinese keys get 主题, English keys get topics."""
    key = "主题" if _CHINESE_KEY.search(front_matter) else "topics"
    return f"{key}: [{', '.join(slugs)}]"


def add_topics(path: Path, slugs: list[str]) -> bool:
    """Insert the topics line; False (and nothing written) when the file already names topics or has no front matter."""
    raw = path.read_bytes()
    decoded, _ = decode(raw, str(path))
    if decoded is None or not slugs:
        return False
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode(decoded.encoding.replace("-sig", "")) if bom else raw.decode(decoded.encoding)
    lines = text.split(decoded.newline)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return False
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return False
    front = decoded.newline.join(lines[start + 1:end])
    if _TOPICS_KEY.search(front):
        return False  # explicit topics always win, even an empty list the secretary wrote on purpose
    lines.insert(end, topics_line(front, slugs))
    data = decoded.newline.join(lines).encode(decoded.encoding.replace("-sig", ""))
    if bom:
        data = b"\xef\xbb\xbf" + data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tag-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
