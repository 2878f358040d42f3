"""Learning paths: diaries/paths.yml → LearningPath records, every problem a Diagnostic at `paths.yml:line`.

A college curates courses over the diaries (issue #12 item 2): a title, the audience (新入职 / 网格员 / 书记), goals,
and ordered steps, each an entry (by file name), a thread (by its name or id) or a topic's 推荐先读, with discussion
questions. Keys are written in Chinese in either script, or in English (标题 / 標題 / title), like an entry's front
matter. Only public entries can be a step: a private or held-back entry named here is left out and warned about,
never shown. load_corpus calls `load_curriculum`, so the site and `diary check` report the same problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..corpus.frontmatter import YamlLimits, YamlRefused, load_yaml
from ..corpus.safe_read import ReadProblem, read_regular
from ..corpus.taxonomy import NameResolver
from ..diagnostics import Diagnostic
from ..model import Entry, LearningPath, PathStep, Taxonomy, Thread
from ..privacy import find_in_text, load_people, mask, publishable_text
from ..privacy.guard import CODES, LABELS
from ..text.fold import fold
from ..text.query import prepare
from .recommend import recommended_first
from .threads import ASCII_ID, thread_key, unique_slugs

PATHS_FILE = "paths.yml"
AUDIENCES = ("新入职", "网格员", "书记")
LIMITS = YamlLimits(max_chars=500_000, max_depth=10, max_nodes=50_000, max_aliases=0)
# the ways of writing each key, compared after folding (題目 = 题目); see corpus.fields.KEY_ALIASES for entries
PATH_KEYS: dict[str, str] = {
    "title": "title", "标题": "title", "题目": "title", "名称": "title", "name": "title",
    "id": "id", "编号": "id", "slug": "id",
    "audience": "audience", "对象": "audience", "学员": "audience", "适合": "audience", "适用对象": "audience",
    "goals": "goals", "目标": "goals", "学习目标": "goals",
    "steps": "steps", "步骤": "steps", "内容": "steps",
}
STEP_KEYS: dict[str, str] = {
    "entry": "entry", "file": "entry", "日记": "entry", "文章": "entry", "篇目": "entry", "文件": "entry",
    "thread": "thread", "case": "thread", "线索": "thread", "案例": "thread", "案例线索": "thread",
    "topic": "topic", "主题": "topic",
    "questions": "questions", "discussion": "questions", "讨论": "questions", "讨论题": "questions",
    "思考题": "questions", "问题": "questions",
    "note": "note", "说明": "note", "提示": "note",
}
_TOP_KEYS = {"paths", "学习路径", "路径"}  # paths.yml may also be `学习路径: [...]` instead of a bare list


@dataclass(frozen=True)
class Known:
    """What a step can name: the public entries and threads, the taxonomy, and (for the messages only) the files
    that are not published: private or held back, or not loadable at all."""

    entries: Sequence[Entry]
    threads: Sequence[Thread]
    taxonomy: Taxonomy
    withheld: frozenset[str] = frozenset()  # rel_source of entries that are private or held back
    failed: frozenset[str] = frozenset()  # rel_source of files that could not be loaded


def _key(raw: str, table: dict[str, str]) -> str | None:
    return table.get(prepare(raw)) or table.get(raw.strip().lower())


def _text(node: yaml.Node) -> str | None:
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else None


def _texts(node: yaml.Node) -> list[str] | None:
    """One string or a list of strings; None for anything else (a mapping, a nested list)."""
    if isinstance(node, yaml.ScalarNode):
        return [str(node.value).strip()] if str(node.value).strip() else []
    if isinstance(node, yaml.SequenceNode):
        items = [_text(n) for n in node.value]
        if any(i is None for i in items):
            return None
        return [i for i in items if i]
    return None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Reader:
    def __init__(self, known: Known, shown: str) -> None:
        self.known, self.shown = known, shown
        self.problems: list[Diagnostic] = []
        self.by_name: dict[str, list[str]] = {}  # every way to name an entry file → rel_sources
        self.entries = {e.rel_source: e for e in known.entries}
        for rel in [*self.entries, *known.withheld, *known.failed]:
            for name in _names_of(rel):
                self.by_name.setdefault(name, [])
                if rel not in self.by_name[name]:
                    self.by_name[name].append(rel)
        for e in known.entries:
            self.by_name.setdefault(e.id.lower(), [e.rel_source])
        self.threads: dict[str, Thread] = {}
        for t in known.threads:
            self.threads.setdefault(thread_key(t.entries[0].case), t)
            self.threads.setdefault(t.id, t)
            self.threads.setdefault(thread_key(t.title), t)  # an ASCII id's thread is known by its first title
        self.topics = NameResolver.for_topics(known.taxonomy)

    def problem(self, node: yaml.Node | int, code: str, message: str, hint: str = "") -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Diagnostic(self.shown, line, code, message, hint))

    def fields(self, node: yaml.MappingNode, table: dict[str, str], what: str) -> dict[str, yaml.Node]:
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            raw = _text(key_node) or ""
            key = _key(raw, table)
            if key is None:
                close = difflib.get_close_matches(prepare(raw), list(table), n=1, cutoff=0.5)
                hint = f"是不是想写“{close[0]}”？" if close else ""
                self.problem(key_node, "path-unknown-key", f"{what}里不认识“{raw}”", hint)
                continue
            if key in out:
                self.problem(key_node, "path-unknown-key", f"{what}里“{raw}”写了不止一次，用了这一次的内容")
            out[key] = value
        return out

    def path(self, node: yaml.Node, number: int) -> tuple[str, LearningPath] | None:
        """(slug wanted, path) — slugs are made unique by the caller."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "path-bad-step", f"第 {number} 条学习路径不是“名称: 内容”的形式，没有用上")
            return None
        f = self.fields(node, PATH_KEYS, "学习路径")
        title = _text(f["title"]) if "title" in f else None
        if not title:
            self.problem(f.get("title", node), "path-missing-title", f"第 {number} 条学习路径没有写标题，没有发布")
            return None
        slug = ""
        if "id" in f:
            slug = (_text(f["id"]) or "").lower()
            if slug and not ASCII_ID.match(slug):  # empty: not written, or dropped by _guard
                self.problem(f["id"], "path-unknown-key",
                             f"编号“{slug}”只能用小写字母、数字和连字符，网址改用标题的拼音")
                slug = ""
        audience = self.audience(f["audience"]) if "audience" in f else ()
        goals: list[str] = []
        if "goals" in f:
            found = _texts(f["goals"])
            if found is None:
                self.problem(f["goals"], "path-bad-step", "目标要写成一句话或一串句子（每行以“- ”开头）")
            goals = found or []
        steps: list[PathStep] = []
        steps_node = f.get("steps")
        if isinstance(steps_node, yaml.SequenceNode):
            for i, step_node in enumerate(steps_node.value, 1):
                step = self.step(step_node, title, i)
                if step is not None:
                    steps.append(step)
        elif steps_node is not None:
            self.problem(steps_node, "path-bad-step", "步骤要写成列表，每一步以“- ”开头")
        if not steps:
            self.problem(node, "path-empty", f"学习路径“{title}”没有一步能用上，没有发布")
            return None
        return slug or thread_key(title), LearningPath("", title, tuple(audience), tuple(goals), tuple(steps))

    def audience(self, node: yaml.Node) -> tuple[str, ...]:
        found = _texts(node)
        if found is None:
            self.problem(node, "path-audience", "对象要写成一个词或一个列表")
            return ()
        out = []
        for item in found:
            folded = fold(item)
            if folded not in AUDIENCES:
                self.problem(node, "path-audience", f"对象“{item}”不是 {'、'.join(AUDIENCES)} 之一，照写的显示")
            out.append(folded if folded in AUDIENCES else item)
        return tuple(out)

    def step(self, node: yaml.Node, path_title: str, number: int) -> PathStep | None:
        where = f"“{path_title}”第 {number} 步"
        if isinstance(node, yaml.ScalarNode):  # `- 2020/2020-06-10-wuye.md`: an entry by its file name
            return self.entry_step(node, _text(node) or "", (), "", where)
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "path-bad-step", f"{where}的写法不对，没有用上")
            return None
        f = self.fields(node, STEP_KEYS, where)
        kinds = [k for k in ("entry", "thread", "topic") if k in f]
        if not kinds:
            self.problem(node, "path-bad-step", f"{where}没有写是哪篇日记、哪条线索或哪个主题，没有用上")
            return None
        if len(kinds) > 1:
            self.problem(node, "path-bad-step", f"{where}同时写了{'和'.join(kinds)}，只用了第一个")
        questions: tuple[str, ...] = ()
        if "questions" in f:
            found = _texts(f["questions"])
            if found is None:
                self.problem(f["questions"], "path-bad-step", f"{where}的讨论题要写成一句话或一串句子")
            questions = tuple(found or ())
        note = _text(f["note"]) if "note" in f else ""
        ref_node = f[kinds[0]]
        ref = _text(ref_node)
        if not ref:
            self.problem(ref_node, "path-bad-step", f"{where}是空的，没有用上")
            return None
        if kinds[0] == "entry":
            return self.entry_step(ref_node, ref, questions, note or "", where)
        if kinds[0] == "thread":
            thread = self.threads.get(thread_key(ref)) or self.threads.get(ref.lower())
            if thread is None:
                names = [t.title for t in self.known.threads]
                close = difflib.get_close_matches(ref, names, n=1, cutoff=0.4)
                self.problem(ref_node, "path-unknown-thread", f"{where}：没有叫“{ref}”的案例线索",
                             f"是不是“{close[0]}”？" if close else "")
                return None
            return PathStep("thread", thread.id, thread.title, thread.entries, questions, note or "")
        slug = self.topics.resolve(ref)
        if slug is None:
            guess = self.topics.suggest(ref)
            self.problem(ref_node, "path-unknown-topic", f"{where}：主题“{ref}”不在主题表里",
                         f"是不是“{guess}”？" if guess else "")
            return None
        members = [e for e in self.known.entries if slug in e.all_topics]
        if not members:
            self.problem(ref_node, "path-empty", f"{where}：主题“{ref}”还没有公开的日记，这一步没有用上")
            return None
        name = self.known.taxonomy.topic(slug).name
        return PathStep("topic", slug, f"{name} · 推荐先读", tuple(recommended_first(members)), questions, note or "")

    def entry_step(self, node: yaml.Node, ref: str, questions: tuple[str, ...], note: str,
                   where: str) -> PathStep | None:
        wanted = _normalised(ref)
        rels = self.by_name.get(wanted, [])
        if len(rels) > 1:
            self.problem(node, "path-unknown-entry", f"{where}：“{ref}”对得上好几篇日记（{'、'.join(sorted(rels))}）",
                         "写上年份文件夹，例如 `日记: 2020/2020-06-10-wuye.md`")
            return None
        if not rels:
            names = sorted({n for rel in self.entries for n in _names_of(rel) if n.endswith(".md")})
            close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
            self.problem(node, "path-unknown-entry", f"{where}：找不到日记“{ref}”",
                         f"是不是“{close[0]}”？" if close else "写 diaries/ 里的文件名，例如 `2020/2020-06-10-wuye.md`")
            return None
        rel = rels[0]
        entry = self.entries.get(rel)
        if entry is None:
            if rel in self.known.withheld:
                self.problem(node, "path-private-entry",
                             f"{where}：日记“{ref}”不公开（或因个人信息暂不发布），没有放进学习路径")
            else:
                self.problem(node, "path-unknown-entry", f"{where}：日记“{ref}”有错误，没有发布",
                             "先运行 `diary check` 改好这篇日记")
            return None
        return PathStep("entry", entry.id, entry.title, (entry,), questions, note)


def _names_of(rel: str) -> set[str]:
    """Every way a college may name an entry file: 2020/x.md, 2020/x, x.md, x."""
    rel = rel.lower()
    base = rel.rsplit("/", 1)[-1]
    return {rel, rel.removesuffix(".md"), base, base.removesuffix(".md")}


def _normalised(ref: str) -> str:
    text = ref.strip().replace("\\", "/").lower()
    for prefix in ("./", "diaries/"):
        text = text.removeprefix(prefix)
    return text


def _document(text: str, reader: _Reader) -> yaml.Node | None:
    try:
        load_yaml(text, LIMITS)  # the bounded, safe reader: sizes, depth, no aliases, Chinese syntax messages
    except YamlRefused as exc:
        reader.problem(exc.line + 1, "paths-yaml", exc.message.replace("信息头", "paths.yml "), exc.hint)
        return None
    # the same text again as a node tree, for the line of every path and step (already known to be small and plain)
    return yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only, never objects


# step keys whose value names an entry file, a thread or a topic: what they name is checked where it is defined
_REFERENCES = {"entry", "thread", "topic"}


def _guard(root: yaml.Node, reader: _Reader, diaries_dir: Path) -> None:
    """Residents' personal data in the college's own text (titles, goals, questions, notes): masked in place, and an
    error at its line unless people.yml gives a pseudonym or masks that kind. An `id` becomes a URL, which no mask can
    make safe: one with personal data in it is dropped (the URL then comes from the masked title)."""
    people, rules, _ = load_people(diaries_dir)  # people.yml's own problems are reported with the entries
    pending: list[tuple[str, yaml.Node]] = [("", root)]
    while pending:
        key, node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):  # reversed onto the stack: problems come in the file's order
                raw = _text(k) or ""
                pending.append((_key(raw, PATH_KEYS) or _key(raw, STEP_KEYS) or "", v))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((key, item) for item in reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and key not in _REFERENCES and isinstance(node.value, str):
            text, found = publishable_text(node.value, people, rules)
            if key == "id":  # a URL: every finding is an error, masked or not
                found = find_in_text(node.value, people)
                text = "" if found else text
            for f in found:
                what = f"{PATHS_FILE} 的{'编号' if key == 'id' else '文字'}里有{LABELS[f.kind]}“{mask(f.kind, f.text)}”"
                reader.problem(node, CODES[f.kind], f"{what}（网页上已遮挡）",
                               "学习路径会公开发布：删掉这段个人信息，或在 people.yml 里给名字起化名")
            node.value = text


def load_curriculum(diaries_dir: Path, known: Known) -> tuple[tuple[LearningPath, ...], list[Diagnostic]]:
    """diaries/paths.yml resolved against the public corpus; no file, no paths and no problems."""
    path = diaries_dir / PATHS_FILE
    shown = f"{diaries_dir.name or 'diaries'}/{PATHS_FILE}"
    reader = _Reader(known, shown)
    if not path.exists() and not path.is_symlink():
        return (), []
    try:
        data = read_regular(path)
    except ReadProblem as exc:
        return (), [Diagnostic(shown, 0, exc.code, exc.message)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (), [Diagnostic(shown, 0, "paths-yaml", "paths.yml 不是 UTF-8 编码", "用记事本“另存为”，编码选 UTF-8")]
    root = _document(text, reader)
    if root is None:
        return (), reader.problems
    _guard(root, reader, diaries_dir)
    if isinstance(root, yaml.MappingNode):
        lists = [v for k, v in root.value if {prepare(_text(k) or ""), (_text(k) or "").lower()} & _TOP_KEYS]
        root = lists[0] if len(lists) == 1 else root
    if not isinstance(root, yaml.SequenceNode):
        reader.problem(root, "paths-yaml", "paths.yml 应当是一串学习路径，每条以“- 标题: …”开头")
        return (), reader.problems
    wanted: list[tuple[str, LearningPath]] = []
    for i, node in enumerate(root.value, 1):
        found = reader.path(node, i)
        if found is not None:
            wanted.append(found)
    slugs = unique_slugs(_claims(key for key, _ in wanted))
    seen: dict[str, int] = {}
    paths = []
    for key, p in wanted:
        seen[key] = seen.get(key, 0) + 1
        claim = key if seen[key] == 1 else f"{key}-{seen[key]}"
        paths.append(LearningPath(slugs[claim], p.title, p.audience, p.goals, p.steps))
    return tuple(paths), reader.problems


def _claims(keys: Iterable[str]) -> list[str]:
    """Two paths with the same title still get two URLs: the second claims `key-2`."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out

