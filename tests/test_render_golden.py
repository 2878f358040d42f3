"""Golden pages: a small fixed corpus → `render_all` → one reviewed Markdown file per generated page.

The corpus (tests/fixtures/golden/diaries/) is read through `load_corpus` from a temp copy, the way the plugin reads
it, and rendered with the related cases the plugin computes. Every page is compared with its file under
tests/fixtures/golden/pages/; `UPDATE_GOLDEN=1 pytest tests/test_render_golden.py` rewrites the files that differ
(and removes pages no longer generated), then fails once so that the change is read in `git diff` before it is
committed. Beside the byte comparison, the structure that matters is asserted on its own, from the input files:
thread order, links, the private entry, both scripts.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import Rendered, labelled_links, links, render_diaries

from site_builder import paths
from site_builder.plugin import ASSETS
from site_builder.render.simplified import ASSET as FOLD_ASSET
from site_builder.structure.communities import community_key

HERE = Path(__file__).parent / "fixtures" / "golden"
DIARIES = HERE / "diaries"
PAGES = HERE / "pages"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
# what a generated page may link besides another generated page: the files the plugin adds to the site
KNOWN_ASSETS = frozenset({*(f"assets/diary/{a}" for a in ASSETS), f"assets/diary/{FOLD_ASSET}"})

# Markdown inline links and images `[text](target "title")`, and the HTML attributes the templates write
_MD_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HTML_LINK = re.compile(r"""\b(?:href|src|action)=["']([^"']+)["']""")
_ANCHOR = re.compile(r"\{:\s*#([\w-]+)\s*\}")


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict), path
    return loaded


def _field(fm: dict[str, object], *keys: str) -> object:
    return next((fm[k] for k in keys if k in fm), None)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = tmp_path_factory.mktemp("golden")
    shutil.copytree(DIARIES, root / "diaries")
    return render_diaries(root)


def _golden_files() -> dict[str, Path]:
    return {p.relative_to(PAGES).as_posix(): p for p in PAGES.rglob("*.md")} if PAGES.exists() else {}


def test_pages_equal_the_golden_files(rendered: Rendered) -> None:
    pages, golden = rendered.pages, _golden_files()
    if UPDATE:
        changed = [src for src, text in pages.items()
                   if src not in golden or golden[src].read_text(encoding="utf-8") != text]
        for src in changed:
            (PAGES / src).parent.mkdir(parents=True, exist_ok=True)
            (PAGES / src).write_text(pages[src], encoding="utf-8")
        stale = sorted(set(golden) - set(pages))
        for src in stale:
            golden[src].unlink()
        if changed or stale:
            pytest.fail(f"UPDATE_GOLDEN=1 rewrote {sorted(changed)} and removed {stale}: review `git diff "
                        f"tests/fixtures/golden/pages`, then run again without UPDATE_GOLDEN", pytrace=False)
    assert sorted(pages) == sorted(golden), "pages generated vs golden files (UPDATE_GOLDEN=1 rewrites them)"
    diffs = []
    for src in sorted(pages):
        expected = golden[src].read_text(encoding="utf-8")
        if pages[src] != expected:
            diffs.append("".join(difflib.unified_diff(expected.splitlines(True), pages[src].splitlines(True),
                                                      f"golden/{src}", f"render_all/{src}")))
    assert not diffs, "generated Markdown differs (UPDATE_GOLDEN=1 rewrites the files):\n" + "\n".join(diffs[:3])


def test_the_corpus_loads_as_written(rendered: Rendered) -> None:
    """What the other tests rely on: every public file is an entry, the only problem is the private path step."""
    public = sorted(p.relative_to(DIARIES).as_posix() for p in DIARIES.rglob("*.md")
                    if _field(_front_matter(p), "visibility", "公开") != "private")
    assert sorted(e.rel_source for e in rendered.corpus.entries) == public
    assert [p.code for p in rendered.problems] == ["path-private-entry"], [p.format() for p in rendered.problems]


def test_thread_page_lists_its_entries_in_date_order(rendered: Rendered) -> None:
    # the thread's files, in the order the disk lists them, are not in date order: the page must sort them
    members = [(str(_field(fm, "date", "日期")), str(_field(fm, "title", "標題", "标题")), p)
               for p in sorted(DIARIES.rglob("*.md")) for fm in [_front_matter(p)] if _field(fm, "case", "案例")]
    assert len(members) >= 3 and members != sorted(members), "the fixture must list the thread out of date order"
    expected = sorted(members)
    threads = rendered.corpus.threads()
    assert len(threads) == 1, "东院违建 and 東院違建 are one thread"
    page = rendered.pages[paths.case(threads[0].id)]
    listed = re.findall(r"^### (\S+) · \[(.+?)\]\((.+?)\)$", page, flags=re.MULTILINE)
    assert [(d, t) for d, t, _ in listed] == [(d, t) for d, t, _ in expected], page
    by_source = {e.rel_source: e for e in rendered.corpus.entries}
    order = [by_source[p.relative_to(DIARIES).as_posix()] for _, _, p in expected]
    assert [link for _, _, link in listed] == [paths.rel(paths.case(threads[0].id), paths.entry(e.id)) for e in order]
    # each entry page says where it stands and links the entries before and after it
    for i, e in enumerate(order):
        entry_page = rendered.pages[paths.entry(e.id)]
        assert f"（第 {i + 1} 篇，共 {len(order)} 篇）" in entry_page, entry_page
        prev = [(label.split()[0], target) for label, target in labelled_links(entry_page.split("前情：", 1)[-1])[:1]
                if "前情：" in entry_page]
        nxt = [(label.split()[0], target) for label, target in labelled_links(entry_page.split("后续 →：", 1)[-1])[:1]
               if "后续 →：" in entry_page]
        assert prev == ([(str(order[i - 1].date), f"{order[i - 1].id}.md")] if i else []), entry_page
        assert nxt == ([(str(order[i + 1].date), f"{order[i + 1].id}.md")] if i + 1 < len(order) else []), entry_page


def _links(page: str) -> list[str]:
    return _MD_LINK.findall(page) + _HTML_LINK.findall(page)


def _target(src: str, link: str) -> tuple[str, str]:
    """(site path, fragment) a relative link on page `src` points to; the rendered HTML name maps back to .md."""
    path, _, fragment = link.partition("#")
    path = path.partition("?")[0]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)) if path else src
    if resolved.endswith(".html"):
        resolved = resolved[:-len(".html")] + ".md"
    return resolved, fragment


def test_every_link_points_to_a_generated_page_or_a_known_asset(rendered: Rendered) -> None:
    pages = rendered.pages
    anchors = {src: set(_ANCHOR.findall(text)) for src, text in pages.items()}
    broken, linked = [], set()
    for src, text in pages.items():
        for link in _links(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", link, flags=re.IGNORECASE):
                broken.append((src, link, "leaves the site"))  # the corpus links nowhere else
                continue
            target, fragment = _target(src, link)
            if target not in pages and target not in KNOWN_ASSETS:
                broken.append((src, link, "no such page"))
            elif fragment and fragment not in anchors.get(target, set()):
                broken.append((src, link, "no such anchor"))
            linked.add(target)
    assert not broken, broken
    # the check saw the links that matter: every entry, topic, method, thread and learning path is linked somewhere
    corpus = rendered.corpus
    wanted = ({paths.entry(e.id) for e in corpus.entries} | {paths.topic(t.slug) for t in corpus.taxonomy.topics}
              | {paths.method(m.slug) for m in corpus.taxonomy.methods} | {paths.case(t.id) for t in corpus.threads()}
              | {paths.learning_path(p.slug) for p in corpus.curriculum} | {paths.GLOSSARY})
    assert not wanted - linked, sorted(wanted - linked)


def test_the_private_entry_appears_nowhere(rendered: Rendered) -> None:
    private = [p for p in DIARIES.rglob("*.md") if _field(_front_matter(p), "visibility", "公开") == "private"]
    assert len(private) == 1
    fm = _front_matter(private[0])
    body = private[0].read_text(encoding="utf-8").split("---\n", 2)[2].strip()
    words = [str(fm["title"]), private[0].stem, *re.findall(r"[^，。：\s]{4,}", body)]
    assert len(words) >= 3
    for src, text in rendered.pages.items():
        assert private[0].stem not in src
        for word in words:
            assert word not in text, (src, word)
    # nor in any count: the home page counts the public entries only
    assert f"{len(rendered.corpus.entries)} 篇社区工作日记" in rendered.pages[paths.HOME]


def test_both_scripts_are_shown_as_written_and_found_under_one_name(rendered: Rendered) -> None:
    traditional = [e for e in rendered.corpus.entries if e.traditional]
    assert len(traditional) >= 2
    for e in traditional:
        page = rendered.pages[paths.entry(e.id)]
        # the body as written, once the glossary links (跑水 → 术语) are read back as their words
        plain = re.sub(r"\[([^\]]+)\]\([^)]*\)\{: \.diary-term \}", r"\1", page)
        assert page.startswith(f"# {e.title}\n") and e.body.strip() in plain, page
        for slug in e.all_topics:  # 主題: [維修] is the topic 房屋报修, listed on its simplified-named page
            assert paths.rel(paths.topic(slug), paths.entry(e.id)) in links(rendered.pages[paths.topic(slug)])
    # one page per community, whatever the script it is written in
    spellings = {e.community for e in rendered.corpus.entries}
    communities = {community_key(c) for c in spellings}
    assert len(spellings) > len(communities), "the fixture must write a community in both scripts"
    community_pages = [src for src in rendered.pages if src.startswith("communities/") and src != paths.COMMUNITIES]
    assert len(community_pages) == len(communities), community_pages


def test_an_untagged_entry_is_marked_as_suggested(rendered: Rendered) -> None:
    untagged = [e for e in rendered.corpus.entries if not e.topics]
    assert untagged and all(e.suggested_topics for e in untagged)
    for e in rendered.corpus.entries:
        assert ("自动建议" in rendered.pages[paths.entry(e.id)]) == (not e.topics), e.id


def test_glossary_terms_link_from_the_body_to_their_entry(rendered: Rendered) -> None:
    glossary = rendered.pages[paths.GLOSSARY]
    for term in rendered.corpus.taxonomy.glossary:
        assert f"## {term.term} {{: #{term.slug} }}" in glossary
        using = [e for e in rendered.corpus.entries if term.term in e.body]
        assert using, term
        for e in using:
            link = f"[{term.term}]({paths.rel(paths.entry(e.id), paths.GLOSSARY)}#{term.slug} "
            assert link in rendered.pages[paths.entry(e.id)], (term.term, e.id)


def test_home_and_search_count_communities_as_the_community_pages_do(rendered: Rendered) -> None:
    community_pages = [src for src in rendered.pages if src.startswith("communities/") and src != paths.COMMUNITIES]
    assert f"{len(community_pages)} 个社区" in rendered.pages[paths.HOME]
    search = rendered.pages[paths.SEARCH]
    options = re.findall(r'<option value="\d+">', search.split('id="diary-f-community"')[1].split("</select>")[0])
    assert len(options) == len(community_pages), search
