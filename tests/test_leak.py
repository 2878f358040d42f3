"""Leak test: build a site from diaries with planted personal data and private entries, then read every file it wrote.

Nothing planted may appear anywhere in the output — pages, search data, sitemap (also gzipped), scripts — and no
imported HTML may run code in a trainee's browser.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import planted_pii as forms
import pytest
from conftest import Build, make_project, run_build

from site_builder.cli import main
from site_builder.privacy import find_in_text

PEOPLE_YML = "刘凤霞: 刘某某\n马长江:\n设置:\n  自动遮挡: [车牌]\n"
CLEAN = """---
日期: 2020-06-10
标题: 刘凤霞家屋顶漏水
社区: 湖光社区
主题: [物业管理与业委会]
案例: leak-thread
---
【情况】刘凤霞大姐来社区说屋顶漏水，她家的车吉A·67890停在楼下被淋了。
【做法】先找维修队，再请刘凤霞和邻居一起上楼顶看漏点。
【成效】三天修好。
"""
# each of these has one kind of personal data and a marker word: the whole entry must stay off the site
HELD_BACK = {
    "phone.md": ("手机", "她的手机 139 1234 5678，晚上也打得通。"),
    "landline.md": ("座机", "家里座机 0431-85123456。"),
    "idcard.md": ("身份证", "身份证 22010219650315123X 复印了一份。"),
    "bank.md": ("银行卡", "工资卡 6222 0212 3456 7890 123 丢了。"),
    "address.md": ("门牌", "住在三号楼二单元，就是3号楼2单元501室。"),
    "name.md": ("姓名", "马长江又来反映暖气不热。"),
}
PRIVATE = """---
日期: 1987-03-05
标题: 私密标记乙 低保户的孩子
社区: 秘密标记社区
主题: [为老服务]
案例: {case}
公开: private
---
私密标记乙：孩子的父亲在服刑，母亲打零工。这一段只能留在本机。
"""
XSS = """---
日期: 2020-07-01
标题: 导入的网页
案例: leak-thread
---
【情况】从网上复制来的一段<script>alert('xss1')</script>文字。
【做法】<img src="x.png" onerror="alert('xss2')">看图；<a href="javascript:alert('xss3')">点这里</a>。

<div onclick="alert('xss4')"><iframe src="https://evil.example/"></iframe>框</div>
"""
# a learning path that names every kind of unpublished entry (issue #12): none of them may reach a path or handout
PATHS_YML = """\
- 标题: 泄露测试路径
  步骤:
    - 日记: 1987/private.md
      讨论: 第一步的讨论题
    - 日记: 2021/phone.md
    - 线索: leak-thread
      讨论: 线索的讨论题
    - 主题: 为老服务
    - 日记: 2020/clean.md
"""
PLANTED = ["刘凤霞", "马长江", "13912345678", "139 1234 5678", "0431-85123456", "85123456", "22010219650315123X",
           "6222021234567890123", "6222 0212 3456 7890", "3号楼2单元501室", "三号楼二单元", "吉A·67890", "67890",
           "私密标记乙", "秘密标记社区", "1987", "leak-private", "people.yml", "秦阿姨"]
PLANTED += [f"{kind}标记" for kind, _ in HELD_BACK.values()]


def files() -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        "2020/clean.md": CLEAN, "2020/xss.md": XSS, "people.yml": PEOPLE_YML, "paths.yml": PATHS_YML,
        "1987/private.md": PRIVATE.format(case="leak-private"),
        "1987/private-thread.md": PRIVATE.format(case="leak-thread").replace("03-05", "03-06"),
    }
    for i, (name, (kind, text)) in enumerate(HELD_BACK.items()):
        head = f"---\n日期: 2021-0{i + 1}-01\n标题: {kind}标记\n主题: [为老服务]\n案例: leak-thread\n---\n"
        out[f"2021/{name}"] = f"{head}前面一行。\n{text}\n"  # the personal data sits on line 8
    return out


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A normal (not strict) build: it publishes what is safe and logs the rest."""
    root = make_project(tmp_path_factory.mktemp("leak") / "p", files())
    build = run_build(root, strict=False)
    assert build.returncode == 0, build.output
    return build


def every_file(site: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        out.append((path, data.decode("utf-8", errors="replace")))
    return out


def test_nothing_planted_appears_in_any_file(leaky: Build) -> None:
    scanned = every_file(leaky.site)
    assert len(scanned) > 20
    kinds = {p.suffix for p, _ in scanned}
    assert {".html", ".js", ".css", ".xml", ".gz"} <= kinds
    for path, text in scanned:
        squeezed = re.sub(r"[\s\-·]", "", text)
        for secret in PLANTED:
            assert secret not in text, f"{secret} in {path.relative_to(leaky.site)}"
            plain = re.sub(r"[\s\-·]", "", secret)
            if plain.isdigit():
                assert plain not in squeezed, f"{secret} (without separators) in {path.relative_to(leaky.site)}"
    assert not (leaky.site / "people.yml").exists()


def test_what_is_published_instead(leaky: Build) -> None:
    page = leaky.html("entries/clean.html")
    assert "刘某某家屋顶漏水" in page and "刘某某大姐" in page
    assert "吉A＊＊＊90" in page  # the college masks plates automatically, in stars Markdown does not eat
    assert sorted(p.name for p in (leaky.site / "entries").iterdir()) == ["clean.html", "xss.html"]
    # every finding was logged at its line, and the held-back entries exist nowhere
    for name in HELD_BACK:
        assert re.search(rf"diaries/2021/{name}:8: 错误\[pii-", leaky.output), name
    # counts and lists know only the public entries
    home = leaky.html("index.html")
    assert re.search(r"\b2 篇社区工作日记", home), home
    assert not (leaky.site / "years" / "1987.html").exists()
    assert not (leaky.site / "cases" / "leak-private.html").exists()
    assert "<strong>2</strong> 篇日记" in leaky.html("cases/leak-thread.html")
    config = (leaky.site / "search-data" / "config.js").read_text(encoding="utf-8")
    assert '"n":2' in config


def test_stats_and_community_pages_count_only_published_entries(leaky: Build,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Private and held-back entries are in no number, row or list of /stats/, `diary stats` or /communities/."""
    stats = leaky.html("stats/index.html")
    assert "共 <strong>2</strong> 篇日记" in stats
    assert re.findall(r'<a href="\.\./years/(\d+)\.html">', stats) == ["2020"]  # no 1987, no 2021 (held back)
    assert not re.search(r">(1987|2021)年<", stats)
    assert sorted(p.name for p in (leaky.site / "communities").iterdir()) == ["hu-guang-she-qu.html", "index.html"]
    community = leaky.html("communities/hu-guang-she-qu.html")
    assert "共 <strong>1</strong> 篇日记" in community and "标记" not in community
    assert main(["--root", str(leaky.root), "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 2 and data["years"] == [2020]
    assert {r["label"]: r["count"] for r in data["by_community"]} == {"湖光社区": 1, "未写社区": 1}
    assert "标记" not in json.dumps(data, ensure_ascii=False)


def test_related_paths_and_handouts_hold_only_published_entries(leaky: Build) -> None:
    """Related cases, learning paths and handouts (issue #12 items 1–4) link and print only the public entries."""
    published = {"clean", "xss"}
    linked: set[str] = set()
    for page in [*(leaky.site / "entries").glob("*.html"), *(leaky.site / "paths").glob("*.html"),
                 *(leaky.site / "handouts").glob("*.html")]:
        linked |= set(re.findall(r'href="(?:\.\./entries/)?([\w-]+)\.html"', page.read_text(encoding="utf-8"))) & {
            "clean", "xss", "private", "private-thread", *(n.removesuffix(".md") for n in HELD_BACK)}
    assert linked <= published
    path_page = leaky.html("paths/xie-lou-ce-shi-lu-jing.html")
    assert path_page.count('class="diary-case"') == 3  # the thread's two public entries and clean.md
    handout = leaky.html("handouts/path-xie-lou-ce-shi-lu-jing.html")
    assert handout.count('class="diary-handout-case"') == 3
    assert "第一步的讨论题" not in path_page + handout  # the private step is gone, questions and all
    assert "线索的讨论题" in path_page
    thread_handout = leaky.html("handouts/thread-leak-thread.html")
    assert thread_handout.count('class="diary-handout-case"') == 2
    for kind, name in (("path-private-entry", "1987/private.md"), ("path-private-entry", "2021/phone.md"),
                       ("path-empty", "为老服务")):
        assert re.search(rf"diaries/paths.yml:\d+: 警告\[{kind}\].*{re.escape(name)}", leaky.output), kind


def test_strict_build_refuses(tmp_path: Path) -> None:
    build = run_build(make_project(tmp_path / "p", files()), strict=True)
    assert build.returncode != 0
    assert "错误[pii-phone]" in build.output and "13912345678" not in build.output


def test_imported_html_cannot_run_code(leaky: Build) -> None:
    for path, text in every_file(leaky.site):
        if path.suffix != ".html":
            continue
        for tag in re.findall(r"<[a-zA-Z][^>]*>", text):
            assert not re.search(r"\son[a-z]+\s*=", tag) or "onsubmit=\"return false\"" in tag, (path, tag)
            assert "javascript:" not in tag.lower(), (path, tag)
            assert "<iframe" not in tag.lower(), (path, tag)
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.S):
            assert "xss" not in script, path
    page = leaky.html("entries/xss.html")
    assert "文字" in page and "点这里" in page and "看图" in page  # the words survive, the code does not


def test_sample_site_has_no_personal_data(sample_site: Build) -> None:
    """The repository's own diaries: no phone, ID, card, plate or address in any page or search file."""
    checked = 0
    for path, text in every_file(sample_site.site):
        if path.suffix not in {".html", ".js", ".xml"} or "/assets/javascripts/" in path.as_posix():
            continue  # the theme's own minified bundle is not built from the diaries
        visible = re.sub(r"<[^>]+>", "\n\n", text)  # elements apart: a title's 三楼 and the next line's 2017 are two
        found = [(f.kind, f.text) for f in find_in_text(visible)]
        assert found == [], f"{found} in {path}"
        for name in ("刘凤霞", "马长江", "邱阿姨", "罗亚琴"):
            assert name not in text, f"{name} in {path}"
        checked += 1
    assert checked > 100
    assert not list(sample_site.site.rglob("people.yml"))


def test_publishing_guide_is_on_the_site(sample_site: Build) -> None:
    guide = sample_site.html("publishing.html")
    for words in ("发布指南", "site/", "nginx", "zip", "people.yml", "index.html"):
        assert words in guide, words
    assert 'href="publishing.html"' in sample_site.html("guide.html")  # in the 使用说明 navigation


# --- personal data in the forms people write (tests/planted_pii.py), through a real build -------------------------
FORMS = forms.planted()
URL_FIELDS = {"case", "id", "file"}


def planted_project(root: Path, *, masked: bool) -> Path:
    return make_project(root, {**forms.entry_files(FORMS), **forms.ordinary_files(),
                               "people.yml": forms.PEOPLE_YML + (forms.MASK_ALL if masked else "")})


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_build(planted_project(tmp_path_factory.mktemp("planted") / "p", masked=False), strict=False)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="module")
def masked_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_build(planted_project(tmp_path_factory.mktemp("masked") / "p", masked=True), strict=False)
    assert build.returncode == 0, build.output
    return build


def assert_nothing_planted_is_readable(site: Path) -> None:
    files = every_file(site)
    assert {".html", ".js", ".xml"} <= {p.suffix for p, _ in files}
    names = "\n".join(p.relative_to(site).as_posix() for p, _ in files)
    patterns = [(item, forms.leak_pattern(item.secret)) for item in FORMS]
    for path, text in [*files, (site, names)]:  # every file, and every file's name (URLs)
        seen = forms.reading(text)
        for item, pattern in patterns:
            assert pattern.search(seen) is None, f"{item.kind} {item.form!r} in {path}"


def test_no_planted_item_in_any_output_file(planted_site: Build) -> None:
    assert_nothing_planted_is_readable(planted_site.site)
    held = [i for i, item in enumerate(FORMS) if not (item.kind == "name" and item.secret in {"刘凤霞", "罗亚琴"})]
    everything = "\n".join(text for _, text in every_file(planted_site.site))
    for i in held:  # the entry is not there at all, not even its title
        assert f"核对标记{i:03d}" not in everything, FORMS[i]


def test_every_planted_item_is_reported_at_its_line(planted_site: Build) -> None:
    files = forms.entry_files(FORMS)
    for item, (rel, text) in zip(FORMS, files.items(), strict=True):
        if item.kind == "name" and item.secret in {"刘凤霞", "罗亚琴"}:
            continue  # a pseudonym is published instead: not an error
        line = text.split("---\n")[1].count("\n") + 4 if item.where == "body" else None
        where = f"diaries/{rel}:{line}: " if line else f"diaries/{rel}"
        assert re.search(re.escape(where) + r".*错误\[pii-", planted_site.output), (item, where)


def test_names_with_pseudonyms_are_published_replaced(planted_site: Build) -> None:
    for i, item in enumerate(FORMS):
        if item.kind == "name" and item.secret in {"刘凤霞", "罗亚琴"} and item.where == "body":
            page = planted_site.html(f"entries/planted-{i:03d}.html")
            assert item.secret[0] + "某某" in page, item
            assert "**" not in page and "<span>" not in page  # the marks that split the name went with it


def test_ordinary_text_with_numbers_publishes(planted_site: Build) -> None:
    for i, sentence in enumerate(forms.ORDINARY):
        page = forms.reading(planted_site.html(f"entries/ordinary-{i:02d}.html"))
        assert forms.reading(sentence) in page, sentence


def test_masked_build_publishes_masks_and_nothing_else(masked_site: Build) -> None:
    assert_nothing_planted_is_readable(masked_site.site)
    for i, item in enumerate(FORMS):
        page = masked_site.site / "entries" / f"planted-{i:03d}.html"
        if item.where in URL_FIELDS:
            assert f"核对标记{i:03d}" not in masked_site.output or not page.exists(), item
            continue
        html = page.read_text(encoding="utf-8")
        main = html[html.index("<article"):html.index("</article>")]
        mark = "X" if item.kind == "address" else "某" if item.kind == "name" else "＊＊"
        assert mark in main, (item, re.sub(r"<[^>]+>", "", main)[:300])


def test_masks_show_stars_on_the_page_and_in_search_data(masked_site: Build) -> None:
    i = next(i for i, item in enumerate(FORMS) if item.form == "split by bold")
    item = FORMS[i]
    page = masked_site.html(f"entries/planted-{i:03d}.html")
    shown = item.secret[:3] + "＊＊＊＊" + item.secret[-4:]
    assert shown in page  # not 1395678: Markdown did not eat the stars
    data = "".join(p.read_text(encoding="utf-8") for p in (masked_site.site / "search-data").rglob("*.js"))
    assert shown in data
