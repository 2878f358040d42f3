"""Community pages, the footer, the sample note and MkDocs' lines in Chinese, on real builds."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Build, make_project, run_build

from site_builder.log_messages import translate
from site_builder.text.fold import fold


def _entry(date: str, title: str, community: str, extra: str = "") -> str:
    return f"---\n日期: {date}\n标题: {title}\n社区: {community}\n主题: [为老服务]\n{extra}---\n【情况】{title}。\n"


ENTRIES = {
    "a.md": _entry(
        "2019-03-01", "独居老人家里停电", "園輝社區", "案例: 停電那家\n工作法: [亲情服务工作法]\n状态: 跟进中\n"
    ),
    "b.md": _entry("2020-05-02", "停电那家装了新电表", "园辉社区", "案例: 停电那家\n状态: 已解决\n"),
    "c.md": _entry("2020-06-03", "楼道堆物清理", "园辉 社区"),
    "d.md": _entry("2021-01-04", "湖边的长椅", "湖光社区"),
    "e.md": _entry("2021-02-05", "胡同口的路灯", "胡光社区"),  # same pinyin as 湖光社区: its own page
    "f.md": _entry("2021-03-06", "私密标记的事", "私密标记社区", "公开: private\n"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_build(make_project(tmp_path_factory.mktemp("communities") / "p", ENTRIES))
    assert build.returncode == 0, build.output
    return build


def _article(page: str) -> str:
    m = re.search(r"<article[^>]*>(.*?)</article>", page, re.S)
    assert m
    return m.group(1)


def test_one_page_per_community_whatever_the_spelling(site: Build) -> None:
    pages = sorted(p.name for p in (site.site / "communities").iterdir())
    assert pages[0].startswith("hu-guang-she-qu") and len(pages) == 4, pages
    assert "hu-guang-she-qu.html" in pages and "yuan-hui-she-qu.html" in pages and "index.html" in pages
    index = _article(site.html("communities/index.html"))
    items = re.findall(r"<li>(.*?)</li>", index, re.S)
    assert len(items) == 3
    name = re.search(r">([^<]+)</a>", items[0])
    assert name and fold(name.group(1)).replace(" ", "") == "园辉社区"  # largest first, three spellings as one
    assert "3 篇 · 2019—2020年" in items[0]
    assert "私密标记" not in site.html("communities/index.html")


def _put(site: Build, rel: str) -> object:
    text = (site.site / "search-data" / f"{rel}.js").read_text(encoding="utf-8")
    m = re.fullmatch(r'__diaryPut\("[^"]+",(.*)\);\n', text, re.S)
    assert m, text[:80]
    return json.loads(m.group(1))


def test_home_and_search_filter_count_communities_as_the_community_pages_do(site: Build) -> None:
    """Three spellings of 园辉社区 are one community on the home page and in the search filter, as on /communities/."""
    assert "3 个社区" in _article(site.html("index.html"))
    select = site.html("search/index.html").split('id="diary-f-community"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>', select)
    assert len(options) == 3 and [fold(n).replace(" ", "") for _, n in options].count("园辉社区") == 1, options
    facets = _put(site, "facets")
    config = _put(site, "config")
    assert isinstance(facets, dict) and isinstance(config, dict)
    by_community = facets["community"]
    assert len(by_community) == 5 and len(set(by_community)) == 3  # a, b, c (one community), d, e
    yuanhui = config["communities"].index(next(n for _, n in options if fold(n).replace(" ", "") == "园辉社区"))
    assert by_community.count(yuanhui) == 3


def test_community_page_has_years_threads_and_methods(site: Build) -> None:
    page = _article(site.html("communities/yuan-hui-she-qu.html"))
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    assert headings == ["用过的工作法", "案例线索（1 条）", "2020年（2 篇）", "2019年（1 篇）"], headings
    assert 'href="../methods/qinqing-fuwu.html"' in page
    thread = re.search(r'<a href="\.\./cases/([^"]+)">(.*?)</a>', page)
    assert thread and (site.site / "cases" / thread.group(1)).is_file()
    assert page.index("楼道堆物清理") < page.index("独居老人家里停电")  # newest year first
    assert "共 <strong>3</strong> 篇日记，2019—2020年。2020年 2 篇、2019年 1 篇。" in page


def test_entry_page_links_its_community(site: Build) -> None:
    for name, slug in (("a", "yuan-hui-she-qu"), ("c", "yuan-hui-she-qu"), ("d", "hu-guang-she-qu")):
        meta = re.search(r'<p class="diary-meta">(.*?)</p>', site.html(f"entries/{name}.html"), re.S)
        assert meta and f'href="../communities/{slug}.html"' in meta.group(1), name
    e = site.html("entries/e.html")
    link = re.search(r'href="\.\./communities/(hu-guang-she-qu-[0-9a-f]{6})\.html">胡光社区<', e)
    assert link and (site.site / "communities" / f"{link.group(1)}.html").is_file()


def test_footer_is_chinese_and_the_note_is_only_where_configured(site: Build, sample_site: Build) -> None:
    for build in (site, sample_site):
        footer = re.search(r'<div class="md-copyright">(.*?)</div>\s*</div>', build.html("index.html"), re.S)
        assert footer and "Made with" not in footer.group(1) and "本站由社区工作日记自动生成" in footer.group(1)
    # the sample site says on every entry that its diaries are rewritten; a college's own site (no extra) does not
    entries = sorted((sample_site.site / "entries").glob("*.html"))
    assert len(entries) > 100
    for path in entries:
        text = path.read_text(encoding="utf-8")
        assert re.search(r'<p class="diary-sample-note">[^<]*根据公开报道改写，居民为化名', text), path.name
    assert "diary-sample-note" not in sample_site.html("topics/index.html")
    assert "diary-sample-note" not in site.html("entries/a.html")


def test_mkdocs_progress_lines_are_chinese(site: Build) -> None:
    assert "网站生成好了，用时" in site.output and "Documentation built in" not in site.output
    assert "正在清空网站文件夹" in site.output
    assert translate("[07:40:08] Serving on http://127.0.0.1:8000/") == (
        "[07:40:08] 网站预览地址：http://127.0.0.1:8000/（用浏览器打开它；改了日记保存后会自动刷新）")
    assert translate("Doc file 'x.md' contains an unrecognized relative link") is None  # unknown lines stay


# built with test_intake's markup entry and test_site_build's thread in one strict build (conftest.strict_site)
MARKUP_ENTRY = {
    "markup-names.md": _entry("2020-01-02", "<b>粗</b>的标题<script>alert(1)</script>",
                              '"<img src=x onerror=alert(1)>"', "状态: 跟进中\n"),
}


def test_markup_in_names_stays_text_on_stats_and_community_pages(strict_site: Build) -> None:
    build = strict_site
    assert build.returncode == 0, build.output
    pages = [build.html("stats/index.html"), build.html("communities/index.html")]
    pages += [p.read_text(encoding="utf-8") for p in (build.site / "communities").glob("*.html")]
    for page in pages:
        body = _article(page)
        assert "<img" not in body and "<script" not in body and "<b>" not in body
        assert not re.search(r"<[^>]+\son[a-z]+=", body)
    stats = _article(build.html("stats/index.html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in stats and "&lt;b&gt;粗" in stats  # shown as text
