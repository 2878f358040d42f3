"""Planted personal data in the forms people really write, for the leak tests and benchmarks/bench_privacy.py.

`planted()` makes a fixed set (seeded) of items: phones, landlines, ID numbers (18 and old 15 digits), bank cards
(valid Luhn), licence plates, exact addresses and people.yml names, each written one of the ways secretaries,
copy-paste from chat apps and Word produce: any dash, dot or space kind, zero-width and line-break separators,
full-width digits, Chinese numerals and 幺, split by Markdown emphasis, HTML tags or entities, with or without a
label word before it, and placed in every published field (title, author, community, case, explicit id, file name).

`leaks(secret, text)` is the test side's own reading of an output file, independent of site_builder.privacy: tags
removed, entities and JSON escapes decoded, width folded, Chinese digits read as digits, and the secret's characters
allowed to be separated by up to three characters that are neither letters, digits nor Han characters. A mask
(139＊＊＊＊5678) does not match because four stars stand where digits stood.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

PEOPLE_YML = "刘凤霞: 刘某某\n罗亚琴: 罗某某\n马长江:\n阿依古丽·买买提:\n"
MASK_ALL = "设置:\n  自动遮挡: [电话, 身份证, 银行卡, 车牌, 地址, 姓名]\n"


@dataclass(frozen=True)
class Planted:
    kind: str  # phone | id | bank | plate | address | name
    form: str  # how it is written, in a few words
    written: str  # the text as it stands in the diary
    secret: str  # its canonical form: what must never reach an output file
    where: str = "body"  # body | title | author | community | case | id | file
    label: bool = True  # the sentence names what it is (手机、身份证 …)


# --- numbers that look real ------------------------------------------------------------------------------------------
def _luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return str((10 - total % 10) % 10)


def _id_check(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]


class _Numbers:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def _fresh(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used and "0000" not in value:
                self.used.add(value)
                return str(value)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def mobile(self) -> str:
        return self._fresh(lambda: self.rng.choice(["139", "138", "158", "186", "135", "150", "177", "199", "152"])
                           + self.digits(8))

    def landline(self) -> tuple[str, str]:
        area = self.rng.choice(["0431", "0433", "0451", "028", "020", "010", "0755"])
        return area, self._fresh(lambda: self.rng.choice("2345678") + self.digits(7))

    def id18(self) -> str:
        def make() -> str:
            region = self.rng.choice(["110101", "220102", "310104", "440106", "510107", "230103", "222401"])
            born = f"{self.rng.randint(1935, 2012)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
            body = region + born + self.digits(3)
            return body + _id_check(body)
        return self._fresh(make)

    def id15(self) -> str:
        return self._fresh(lambda: self.rng.choice(["110101", "220102", "230103"])
                           + f"{self.rng.randint(30, 84)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
                           + self.digits(3))

    def card(self, n: int = 16) -> str:
        def make() -> str:
            body = self.rng.choice(["622202", "621700", "622848", "621226", "436742", "625965"]) + self.digits(n - 7)
            return body + _luhn_digit(body)
        return self._fresh(make)

    def plate_tail(self) -> str:
        return self._fresh(lambda: self.rng.choice("ABCDEFGHJK") + self.digits(5))


# --- ways of writing a digit string -----------------------------------------------------------------------------------
CN = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
FULL = {d: chr(ord(d) + 0xFEE0) for d in "0123456789"}


def groups(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for s in sizes:
        out.append(digits[i:i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


def chinese(digits: str, one: str = "一", zero: str = "〇") -> str:
    return "".join(one if d == "1" else zero if d == "0" else CN[d] for d in digits)


def full_width(text: str) -> str:
    return "".join(FULL.get(c, c) for c in text)


def entities(digits: str) -> str:
    return "".join(f"&#{ord(c)};" if i % 3 == 1 else c for i, c in enumerate(digits))


PHONE_LABELS = ["她的手机是{}，晚上也打得通。", "留了电话：{}。", "联系方式 {} 写在本子上。", "有事打{}找她儿子。"]
UNLABELLED = ["让我记下{}，说有事再联系。", "本子上写着 {} 几个字。", "后来又说了一遍{}。"]


def _mobiles(n: _Numbers) -> list[tuple[str, str, str]]:
    """(form, written, digits) for mobile numbers."""
    forms: list[tuple[str, Callable[[str], str]]] = [
        ("plain", lambda d: d),
        ("3-4-4 spaces", lambda d: groups(d, (3, 4), " ")),
        ("3-4-4 hyphens", lambda d: groups(d, (3, 4), "-")),
        ("dots", lambda d: groups(d, (3, 4), ".")),
        ("4-3-4 spaces", lambda d: groups(d, (4, 3), " ")),
        ("em dash", lambda d: groups(d, (3, 4), "—")),
        ("en dash", lambda d: groups(d, (3, 4), "–")),
        ("full-width hyphen", lambda d: groups(d, (3, 4), "－")),
        ("small hyphen", lambda d: groups(d, (3, 4), "﹣")),
        ("minus sign", lambda d: groups(d, (3, 4), "−")),
        ("middle dot", lambda d: groups(d, (3, 4), "·")),
        ("NBSP", lambda d: groups(d, (3, 4), "\u00a0")),
        ("zero-width space", lambda d: groups(d, (3, 4), "\u200b")),
        ("word joiner", lambda d: groups(d, (3, 4), "\u2060")),
        ("soft hyphen", lambda d: groups(d, (3, 4), "\u00ad")),
        ("line break", lambda d: groups(d, (3, 4), "\n")),
        ("spaced dash", lambda d: groups(d, (3, 4), " - ")),
        ("full-width digits", lambda d: full_width(d)),
        ("full-width digits and spaces", lambda d: full_width(groups(d, (3, 4), "\u3000"))),
        ("full-width with dashes", lambda d: full_width(groups(d, (3, 4), "－"))),
        ("Chinese numerals", lambda d: chinese(d)),
        ("Chinese numerals with 幺", lambda d: chinese(d, "幺")),
        ("Chinese numerals with 零", lambda d: chinese(d, "一", "零")),
        ("Chinese numerals grouped", lambda d: groups(chinese(d, "幺", "零"), (3, 4), " ")),
        ("mixed digits and numerals", lambda d: d[:3] + chinese(d[3:7], "幺", "零") + d[7:]),
        ("split by bold", lambda d: f"{d[:3]}**{d[3:7]}**{d[7:]}"),
        ("bold prefix", lambda d: f"**{d[:3]}**{d[3:]}"),
        ("italic middle", lambda d: f"{d[:3]}*{d[3:7]}*{d[7:]}"),
        ("HTML entities", lambda d: entities(d)),
        ("entity hyphens", lambda d: groups(d, (3, 4), "&#45;")),
        ("entity NBSP", lambda d: groups(d, (3, 4), "&nbsp;")),
        ("span tags", lambda d: f"<span>{d[:3]}</span>{d[3:]}"),
        ("escaped hyphens", lambda d: groups(d, (3, 4), "\\-")),
        ("code span", lambda d: f"`{d}`"),
        ("+86 prefix", lambda d: "+86 " + groups(d, (3, 4), " ")),
        ("(+86) prefix", lambda d: "(+86)" + d),
        ("0086 prefix", lambda d: "0086-" + d),
        ("single spaced digits", lambda d: " ".join(d)),
    ]
    out = []
    for form, make in forms:
        d = n.mobile()
        out.append((form, make(d), d))
    return out


def planted(seed: int = 15) -> list[Planted]:
    n = _Numbers(seed)
    rng = n.rng
    items: list[Planted] = []

    def add(kind: str, form: str, written: str, secret: str, where: str = "body", label: bool = True) -> None:
        items.append(Planted(kind, form, written, secret, where, label))

    # mobiles: every form once with a label word, a few without
    for i, (form, written, digits) in enumerate(_mobiles(n)):
        add("phone", form, written, digits, label=i % 5 != 4)
    # each form's writer takes the parts of one number (area + local, or the digits, or province + tail)
    make: Callable[..., str]
    # landlines
    for form, make in [
        ("area-local hyphen", lambda a, x: f"{a}-{x}"),
        ("area local space", lambda a, x: f"{a} {x}"),
        ("grouped with spaces", lambda a, x: f"{a} {x[:4]} {x[4:]}"),
        ("parenthesised area", lambda a, x: f"({a}){x}"),
        ("full-width parentheses and space", lambda a, x: f"（{a}） {x[:4]} {x[4:]}"),
        ("em dash", lambda a, x: f"{a}—{x}"),
        ("full-width digits", lambda a, x: full_width(f"{a}-{x}")),
        ("Chinese numerals", lambda a, x: chinese(a, "幺", "零") + " " + chinese(x, "幺", "零")),
        ("no separator", lambda a, x: a + x),
        ("NBSP grouped", lambda a, x: f"{a}\u00a0{x[:4]}\u00a0{x[4:]}"),
        ("local number after 电话", lambda a, x: f"{x[:4]} {x[4:]}"),
        ("local number after 座机", lambda a, x: x),
    ]:
        area, local = n.landline()
        written = make(area, local)
        secret = local if form.startswith("local") else area + local
        prefix = "座机" if "座机" in form else "电话" if "电话" in form else "家里座机"
        add("phone", "landline " + form, f"{prefix} {written}", secret)

    # ID numbers
    for form, make in [
        ("plain", lambda d: d),
        ("6-8-4 spaces", lambda d: groups(d, (6, 8), " ")),
        ("6-8-4 hyphens", lambda d: groups(d, (6, 8), "-")),
        ("6-4-4-4 spaces", lambda d: groups(d, (6, 4, 4), " ")),
        ("dots", lambda d: groups(d, (6, 8), ".")),
        ("em dashes", lambda d: groups(d, (6, 8), "—")),
        ("NBSP", lambda d: groups(d, (6, 8), "\u00a0")),
        ("zero-width space", lambda d: groups(d, (6, 8), "\u200b")),
        ("line break", lambda d: groups(d, (6, 8), "\n")),
        ("full-width digits", lambda d: full_width(d)),
        ("Chinese numerals", lambda d: chinese(d, "幺", "零") if d[-1] != "X" else chinese(d[:-1]) + "X"),
        ("split by bold", lambda d: f"{d[:6]}**{d[6:14]}**{d[14:]}"),
        ("entities", lambda d: entities(d)),
        ("span tag", lambda d: f"{d[:6]}<span>{d[6:]}</span>"),
        ("lower-case x", lambda d: d[:-1] + "x"),
    ]:
        d = n.id18()
        while form == "lower-case x" and not d.endswith("X"):
            d = n.id18()
        written = make(d)
        add("id", "ID " + form, f"身份证号 {written}" if rng.random() < 0.8 else f"证件{written}", d)
    for form, make in [
        ("old 15 digits", lambda d: d),
        ("old 15 digits 6-6-3", lambda d: groups(d, (6, 6), " ")),
        ("old 15 digits hyphens", lambda d: groups(d, (6, 6), "-")),
        ("old 15 digits full-width", lambda d: full_width(d)),
        ("old 15 digits Chinese numerals", lambda d: chinese(d)),
    ]:
        d = n.id15()
        add("id", form, f"老身份证 {make(d)}", d)

    # bank cards (valid Luhn)
    for form, size, make in [
        ("16 plain", 16, lambda d: d),
        ("4-4-4-4 spaces", 16, lambda d: groups(d, (4, 4, 4), " ")),
        ("4-6-6", 16, lambda d: groups(d, (4, 6), " ")),
        ("dotted groups", 16, lambda d: groups(d, (4, 4, 4), ".")),
        ("hyphen groups", 16, lambda d: groups(d, (4, 4, 4), "-")),
        ("19 digits 4-4-4-4-3", 19, lambda d: groups(d, (4, 4, 4, 4), " ")),
        ("19 plain", 19, lambda d: d),
        ("6-13 hyphen", 19, lambda d: groups(d, (6,), "-")),
        ("full-width", 16, lambda d: full_width(groups(d, (4, 4, 4), "\u3000"))),
        ("NBSP groups", 16, lambda d: groups(d, (4, 4, 4), "\u00a0")),
        ("line breaks", 16, lambda d: groups(d, (4, 4, 4), "\n")),
        ("zero-width", 19, lambda d: groups(d, (4, 4, 4, 4), "\u200b")),
        ("bold group", 16, lambda d: f"{d[:4]} **{d[4:8]}** {d[8:]}"),
        ("Chinese numerals", 16, lambda d: chinese(d, "幺", "零")),
        ("em dash groups", 16, lambda d: groups(d, (4, 4, 4), "—")),
        ("no label", 16, lambda d: groups(d, (4, 4, 4), " ")),
    ]:
        d = n.card(size)
        written = make(d)
        text = f"让我记下{written}这串号" if form == "no label" else f"工资卡号 {written}"
        add("bank", "card " + form, text, d, label=form != "no label")

    # licence plates
    provinces = "吉京辽黑沪粤川苏鲁浙"
    upper = {ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHJK"}
    for form, make in [
        ("plain", lambda p, t: p + t),
        ("middle dot", lambda p, t: f"{p}·{t}"),
        ("spaces", lambda p, t: f"{p[0]} {p[1]} {t}"),
        ("hyphenation point", lambda p, t: f"{p}\u2027{t}"),
        ("katakana dot", lambda p, t: f"{p}・{t}"),
        ("bullet", lambda p, t: f"{p}•{t}"),
        ("hyphen", lambda p, t: f"{p}-{t}"),
        ("full-width", lambda p, t: p[0] + full_width(p[1] + t).translate(upper)),
        ("lower case", lambda p, t: (p + t).lower()),
        ("spaced characters", lambda p, t: " ".join(p + t)),
        ("zero-width", lambda p, t: f"{p}\u200b{t}"),
        ("bold tail", lambda p, t: f"{p}**{t}**"),
    ]:
        tail = n.plate_tail()
        prov = rng.choice(provinces) + rng.choice("ABCDEFGH")
        add("plate", "plate " + form, f"他家的车{make(prov, tail)}停在消防通道上", prov + tail)
    for form, tail in [
        ("new energy 6 chars", "D" + n.digits(5)), ("new energy with dot", "F" + n.digits(5)),
        ("learner plate 学", n.digits(4) + "学"), ("trailer 挂", n.digits(4) + "挂"), ("digits only", n.digits(5)),
    ]:
        prov = rng.choice(provinces) + rng.choice("ABCDEFGH")
        written = f"{prov}·{tail}" if "dot" in form else prov + tail
        add("plate", "plate " + form, f"车牌{written}的车", prov + tail)
    prov_t = "貴A" + n.digits(5)
    add("plate", "plate Traditional province", f"那輛{prov_t}停了三天", prov_t)

    # exact addresses
    addresses = [
        ("栋-门-room", "87栋2门101", "87栋2门101"),
        ("spaced 号楼 单元 室", "91 号楼 2 单元 101 室", "91号楼2单元101室"),
        ("dash triplet en dash", "92–2–101", "92-2-101"),
        ("dash triplet hyphen", "3-2-501室", "3-2-501"),
        ("座 room", "A座2083", "A座2083"),
        ("street number in Chinese numerals", "人民大街二〇七九号", "人民大街2079号"),
        ("street number", "幸福路88号", "幸福路88号"),
        ("full-width street number", "建设街１２６号", "建设街126号"),
        ("lane number", "胜利巷17号", "胜利巷17号"),
        ("号楼 单元 室", "3号楼2单元501室", "3号楼2单元501室"),
        ("Chinese numerals throughout", "三号楼二单元五〇一室", "3号楼2单元501室"),
        ("positional numerals", "十二号楼三单元五零一", "3单元501"),
        ("幢 单元 room", "5幢3单元602", "5幢3单元602"),
        ("# as 号", "3#楼2单元501", "2单元501"),
        ("floor and room", "5层502室", "5层502"),
        ("building and room", "7栋 1203", "7栋1203"),
        ("B座 room 室", "B座1203室", "B座1203"),
        ("号楼 门 room", "8号楼3门402", "8号楼3门402"),
        ("building and unit", "12号楼2单元", "12号楼2单元"),
        ("第 building", "第3栋2单元301", "3栋2单元301"),
        ("mixed numerals", "6号楼二单元五〇二", "6号楼2单元502"),
        ("bold unit", "6号楼**2**单元301", "6号楼2单元301"),
        ("line break inside", "6号楼\n4单元301", "6号楼4单元301"),
        ("entity digits", "幸福路&#51;&#56;号", "幸福路38号"),
        ("unit and room", "2单元1101", "2单元1101"),
        ("号院 号楼 room", "5号院3号楼401", "3号楼401"),
        ("NBSP spaced", "9号楼\u00a02单元\u00a0702", "9号楼2单元702"),
        ("room only", "住在1502室", "1502室"),
        ("Traditional", "九號樓三單元七〇二室", "9号楼3单元702"),
        ("room with 号", "4单元301号", "4单元301"),
        ("dash triplet em dash", "15—3—602", "15-3-602"),
        ("floor 楼 room", "住3楼302", "3楼302"),
        ("village number", "王家村12号", "王家村12号"),
        ("full-width building", "１５栋２单元３０２", "15栋2单元302"),
        ("zero-width inside", "7号楼\u200b1单元\u200b502", "7号楼1单元502"),
    ]
    for form, written, secret in addresses:
        add("address", "address " + form, f"住在{written}的老人", secret)

    # people.yml names (刘凤霞 and 罗亚琴 have pseudonyms; 马长江 and 阿依古丽·买买提 have none)
    for form, written, secret in [
        ("space", "刘 凤霞", "刘凤霞"), ("full-width space", "刘\u3000凤霞", "刘凤霞"),
        ("line break", "刘\n凤霞", "刘凤霞"), ("bold", "刘**凤霞**", "刘凤霞"), ("bold first", "**刘**凤霞", "刘凤霞"),
        ("span", "<span>刘</span>凤霞", "刘凤霞"), ("zero-width space", "刘\u200b凤霞", "刘凤霞"),
        ("every character spaced", "罗 亚 琴", "罗亚琴"), ("entity", "罗&#20122;琴", "罗亚琴"),
        ("Traditional", "羅亞琴", "罗亚琴"), ("without the dot", "阿依古丽买买提", "阿依古丽买买提"),
        ("space for the dot", "阿依古丽 买买提", "阿依古丽买买提"),
        ("bullet for the dot", "阿依古丽•买买提", "阿依古丽买买提"),
        ("listed dot", "阿依古丽·买买提", "阿依古丽买买提"), ("plain, no pseudonym", "马长江", "马长江"),
        ("spaced, no pseudonym", "马 长 江", "马长江"), ("Traditional, no pseudonym", "馬長江", "马长江"),
        ("italic, no pseudonym", "马*长江*", "马长江"), ("NBSP, no pseudonym", "马\u00a0长江", "马长江"),
        ("tag, no pseudonym", "马<b>长江</b>", "马长江"),
    ]:
        add("name", "name " + form, f"{written}来社区反映情况", secret)

    # every published field, and what becomes a URL
    d1, d2, d3, d4, d5 = n.mobile(), n.mobile(), n.mobile(), n.mobile(), n.mobile()
    add("phone", "phone in the title", f"{groups(d1, (3, 4), '.')}反映的事", d1, where="title")
    add("phone", "phone in the author", f"王某 {d2}", d2, where="author")
    add("phone", "phone in the community", f"湖光社区（{groups(d3, (3, 4), ' ')}）", d3, where="community")
    add("phone", "phone in the case id", f"zhang-{d4}", d4, where="case")
    add("phone", "phone in the explicit id", groups(d5, (3, 4), "-"), d5, where="id")
    d6, d7 = n.mobile(), n.mobile()
    add("phone", "phone as the file name", d6, d6, where="file")
    add("phone", "phone inside the file name", f"2021-05-01-{d7}", d7, where="file")
    card = n.card()
    add("bank", "card in the explicit id", f"card-{card}", card, where="id")
    ident = n.id18()
    add("id", "ID in the case id", f"case-{ident.lower()}", ident, where="case")
    add("name", "name in the title", "刘 凤霞家漏水", "刘凤霞", where="title")
    add("name", "name in the author", "马长江", "马长江", where="author")
    add("address", "address in the title", "3号楼2单元502室漏水", "3号楼2单元502", where="title")
    add("address", "address in the community", "湖光社区5栋2单元", "5栋2单元", where="community")
    plate = "吉B" + n.digits(5)
    add("plate", "plate in the title", f"{plate[:2]} {plate[2:]}占道", plate, where="title")
    return items


# --- what the diaries look like ---------------------------------------------------------------------------------------
def entry_files(items: list[Planted], year: int = 2021) -> dict[str, str]:
    """One diary file per planted item (file name, front matter and body as the item's `where` says)."""
    out: dict[str, str] = {}
    for i, item in enumerate(items):
        day = f"{year}-{1 + i // 28:02d}-{1 + i % 28:02d}" if i < 12 * 28 else f"{year + 1}-01-{1 + i % 28:02d}"
        title, author, community, extra = f"核对标记{i:03d}", "", "", ""
        body = f"上午走访。\n{item.written}\n下午开会。\n"
        name = f"planted-{i:03d}"
        if item.where != "body":
            body = "上午走访，下午开会。\n"
            if item.where == "title":
                title = item.written.replace("\n", " ") + f" 核对标记{i:03d}"
            elif item.where == "author":
                author = item.written
            elif item.where == "community":
                community = item.written
            elif item.where == "case":
                extra = f"案例: {item.written}\n"
            elif item.where == "id":
                extra = f"编号: {item.written}\n"
            elif item.where == "file":
                name = item.written
        head = f"---\n日期: {day}\n标题: \"{title}\"\n"
        head += f"作者: {author}\n" if author else ""
        head += f"社区: \"{community}\"\n" if community else ""
        out[f"{year}/{name}.md"] = f"{head}{extra}---\n{body}"
    return out


def ordinary_files(year: int = 2019) -> dict[str, str]:
    """One diary file per ordinary sentence: these must all publish."""
    return {f"{year}/ordinary-{i:02d}.md": f"---\n日期: {year}-03-{1 + i % 28:02d}\n标题: 平常的一天{i:02d}\n---\n{s}\n"
            for i, s in enumerate(ORDINARY)}


ORDINARY = [
    "锦绣苑2003年建成，386户，其中1038户签了字。",
    "一斤菜7元，一个月下来要花1200多元。",
    "12号楼的老人最多，8号楼次之。",
    "2020-03-15上午开会，2020年3月15日下午走访。",
    "会从13:30开到15:00。",
    "共筹集13500元，惠及1392人次。",
    "这是3栋6层的老楼，每栋6层12户。",
    "她住在5层 20年了。",
    "打12345热线，报警打110，银行客服95588。",
    "二〇〇三年到二〇〇八年，十一二月份最忙。",
    "一栋一栋地敲门，一个单元一个单元地走。",
    "两室一厅，建筑面积86.5平方米。",
    "3号文件、5号线地铁、1号线都提到了。",
    "电话打了3次，投诉电话就没断过。",
    "2019.10.13 第15届邻里节，13.30-15.00 包饺子。",
    "1999-2003年在厂里，2008—2012年在社区。",
    "三室一厅住了六七十岁的两口子。",
    "五六十户参加了，八九十个人。",
    "截至2021年6月共13户、156人。",
    "1至3号楼、5号楼要改造。",
    "每户补贴3000元，共计286万元。",
    "第2067期简报，编号A2083的档案盒。",
    "楼栋长十人，单元长二十四人。",
    "活动分3-5人一组。",
    "2021年第3号通知。",
    "人民路口有公交站，坐3路车。",
    "4月1号到4月15号集中整治。",
    "B区、C区的居民都来了。",
    "身份证、户口本复印件各一份。",
    "留了电话，说有事再联系。",
    "车牌号记下了，交给了物业。",
    "我们记了1392 011 份台账？不，是1392份。",
    "从2015年到2020年，年均增长12.5%。",
    "1号楼到12号楼，一共3个单元。",
    "门牌号码要统一更换。",
    "一三五七九号楼是单号。",
]


# --- reading an output file the way a person would ----------------------------------------------------------------
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CN_DIGITS = str.maketrans("〇零○一幺二两三四五六七八九", "00011223456789")


def reading(text: str) -> str:
    """An output file as its reader sees it: no tags, entities and JSON escapes decoded, one width, digits."""
    from site_builder.text.fold import fold

    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return fold(unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)).translate(_CN_DIGITS).upper()


def leak_pattern(secret: str) -> re.Pattern[str]:
    chars = [c for c in reading(secret) if c.isalnum()]
    return re.compile(r"[^0-9A-Z\u3400-\u9fff]{0,3}".join(re.escape(c) for c in chars))


def leaks(secret: str, text: str) -> bool:
    return leak_pattern(secret).search(reading(text)) is not None
