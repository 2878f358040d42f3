"""`diary tag --write`: add a topics line to an entry's front matter and change nothing else in the file.

The file keeps its encoding, byte-order mark, line endings (mixed ones too), comments, key order and quoting: the
only difference is one inserted line before the closing `---`. Written through authoring.writer, so an interrupted run
leaves either the old file or the new one, and a file saved meanwhile is not overwritten.
"""

from __future__ import annotations

import re

from ..corpus.fields import canonical_key
from ..corpus.frontmatter import decode, encode_like, raw_lines
from .fixes import yaml_list
from .writer import DiaryWriter, Snapshot

_CHINESE_KEY = re.compile(r"^\s*[\u4e00-\u9fff]+\s*[:：]", re.M)
# a top-level key as it starts a line: `主題：`, `Tags :` (full-width colons too); what it means is fields' rule
_TOP_KEY = re.compile(r"^([^\s:：#-][^:：]*?)\s*[:：]", re.M)


def topics_line(front_matter: str, slugs: list[str]) -> str:
    """Written in the file's own style: Chinese keys get 主题, English keys get topics."""
    key = "主题" if _CHINESE_KEY.search(front_matter) else "topics"
    return f"{key}: {yaml_list(slugs, key)}"


def with_topics(data: bytes, slugs: list[str]) -> bytes | None:
    """The file with the topics line inserted; None when it already names topics or has no closed front matter."""
    decoded, _ = decode(data, "")
    if decoded is None or not slugs:
        return None
    lines = raw_lines(data, decoded)
    start = next((i for i, (text, _) in enumerate(lines) if text.strip()), None)
    if start is None or lines[start][0].strip() != "---":
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i][0].strip() in ("---", "...")), None)
    if end is None:
        return None
    front = "\n".join(text for text, _ in lines[start + 1:end])
    if any(canonical_key(key) == "topics" for key in _TOP_KEY.findall(front)):
        return None  # explicit topics always win, even an empty list the secretary wrote on purpose
    ending = lines[end - 1][1] or lines[end][1] or decoded.newline  # the ending of the line it follows
    lines.insert(end, (topics_line(front, slugs), ending))
    return encode_like("".join(text + end_ for text, end_ in lines), decoded)


def add_topics(writer: DiaryWriter, snapshot: Snapshot, slugs: list[str]) -> bool:
    """Insert the topics line; False (nothing written) when the file names topics already or has no front matter.

    NotWritten / WriteFailed from the writer pass through: the caller says what happened.
    """
    data = with_topics(snapshot.data, slugs)
    if data is None:
        return False
    writer.replace(snapshot, data)
    return True
