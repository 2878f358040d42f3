/* 民生日记 · 社区工作百科 — static search in the browser.
 *
 * Mirrors site_builder/text/query.py (parse_query) and site_builder/search/static_index.py (the index format):
 * fold Traditional→Simplified with the same table, drop filler, expand synonym groups, match words against the
 * vocabulary shards, AND the concepts, rank by BM25 weights. Data files are <script>s calling __diaryPut, so search
 * works from file:// and with no network; nothing is rebuilt on page views.
 */
(function () {
  "use strict";
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.~!*()$+;:";  // same as static_index.py
  var CODE = {};
  for (var i = 0; i < ALPHABET.length; i++) CODE[ALPHABET[i]] = i;
  var MAX_TERM = 12, SYNONYM_WEIGHT = 0.7, LEVELS = 31;
  var CHUNK = /[\u3400-\u9fffa-z0-9]+/g;

  var store = {}, waiting = {};
  window.__diaryPut = function (key, data) {
    store[key] = data;
    (waiting[key] || []).forEach(function (w) { w.resolve(data); });
    delete waiting[key];
  };

  function baseUrl() {
    var meta = document.querySelector('meta[name="diary-search-base"]');
    return new URL(meta ? meta.content : "search-data/", location.href);
  }

  function load(key) {
    if (key in store) return Promise.resolve(store[key]);
    if (waiting[key]) return waiting[key][0].promise;
    var w = {};
    w.promise = new Promise(function (resolve, reject) { w.resolve = resolve; w.reject = reject; });
    waiting[key] = [w];
    var s = document.createElement("script");
    s.src = new URL(key + ".js", baseUrl()).href;
    s.async = true;
    s.onerror = function () { delete waiting[key]; w.reject(new Error("cannot load " + key)); };
    document.head.appendChild(s);
    return w.promise;
  }
  function loadAll(keys) { return Promise.all(keys.map(load)); }

  var foldMap = null;
  function setupFold(pairs) {
    if (foldMap) return;
    foldMap = {};
    var chars = Array.from(pairs);
    for (var i = 0; i + 1 < chars.length; i += 2) foldMap[chars[i]] = chars[i + 1];
  }
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { var c = text[i]; out += foldMap[c] || c; }
    return out;
  }
  function prepare(text) { return fold(text.normalize("NFKC").toLowerCase()).trim(); }

  // --- query parsing: the same steps as parse_query in text/query.py ------------------------------------------
  function longest(chunk, start, limit, accept) {
    for (var end = Math.min(chunk.length, start + limit); end > start; end--) {
      var s = chunk.slice(start, end);
      if (accept(s)) return s;
    }
    return "";
  }
  function parseQuery(text, cfg, hasTerm) {
    var phrases = {}, longestPhrase = 0;
    cfg.groups.forEach(function (g, gi) {
      g.forEach(function (m) { if (!(m in phrases)) phrases[m] = gi; longestPhrase = Math.max(longestPhrase, m.length); });
    });
    var fillers = {}, longestFiller = 0;
    cfg.filler.forEach(function (f) { fillers[f] = true; longestFiller = Math.max(longestFiller, f.length); });
    var concepts = [], dropped = [], seen = {};
    (prepare(text).match(CHUNK) || []).forEach(function (chunk) {
      var i = 0;
      while (i < chunk.length) {
        var phrase = longest(chunk, i, longestPhrase, function (s) { return s in phrases; });
        var filler = longest(chunk, i, longestFiller, function (s) { return s in fillers; });
        var term = longest(chunk, i, MAX_TERM, hasTerm);
        var best = Math.max(phrase.length, filler.length, term.length);
        if (best === 0) { i += 1; continue; }
        var concept;
        if (phrase.length === best) {
          concept = {label: phrase, required: true, alts: cfg.groups[phrases[phrase]].map(function (m) {
            return {term: m, weight: m === phrase ? 1.0 : SYNONYM_WEIGHT};
          })};
        } else if (filler.length === best) {
          dropped.push(filler); i += best; continue;
        } else {
          concept = {label: term, required: term.length > 1, alts: [{term: term, weight: 1.0}]};
        }
        if (!seen[concept.label]) { seen[concept.label] = true; concepts.push(concept); }
        i += best;
      }
    });
    var required = concepts.filter(function (c) { return c.required; });
    if (!required.length) required = concepts.slice();
    var optional = concepts.filter(function (c) { return required.indexOf(c) < 0; });
    return {concepts: concepts, required: required, optional: optional, dropped: dropped};
  }

  // --- index access --------------------------------------------------------------------------------------------
  function shardKey(ch) { return "v/" + ch.codePointAt(0).toString(16); }
  function decodePostings(s) {
    var out = new Map(), doc = 0, i = 0;
    while (i < s.length) {
      var n = 0, shift = 0, v;
      do { v = CODE[s[i++]]; n += (v & 31) * Math.pow(2, shift); shift += 5; } while (v & 32);
      doc += n;
      out.set(doc, CODE[s[i++]]);
    }
    return out;
  }
  function decodeIds(s) {
    var out = [], doc = 0, i = 0;
    while (i < s.length) {
      var n = 0, shift = 0, v;
      do { v = CODE[s[i++]]; n += (v & 31) * Math.pow(2, shift); shift += 5; } while (v & 32);
      doc += n; out.push(doc);
    }
    return out;
  }
  var decoded = {};
  function postingsOf(term) {
    if (term in decoded) return Promise.resolve(decoded[term]);
    var key = shardKey(term[0]);
    var shard = store[key] || {};
    var entry = shard[term];
    if (!entry) return Promise.resolve(null);
    var p = typeof entry[1] === "string" ? Promise.resolve(entry[1])
      : load("p/" + term[0].codePointAt(0).toString(16) + "-" + entry[1]);
    return p.then(function (s) { decoded[term] = {df: entry[0], docs: decodePostings(s)}; return decoded[term]; });
  }
  function idf(df, n) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }

  function ready() { return loadAll(["config", "fold"]).then(function (r) { setupFold(r[1]); return r[0]; }); }

  // --- search ----------------------------------------------------------------------------------------------------
  function search(text) {
    return ready().then(function (cfg) {
      var shardSet = new Set(Array.from(cfg.shards));
      var q = prepare(text);
      var chars = Array.from(new Set(Array.from(q))).filter(function (c) { return shardSet.has(c); });
      return Promise.all(chars.map(function (c) { return load(shardKey(c)).catch(function () { return {}; }); }))
        .then(function () {
          var parsed = parseQuery(text, cfg, function (t) {
            var sh = store[shardKey(t[0])];
            return !!(sh && Object.prototype.hasOwnProperty.call(sh, t));
          });
          var terms = [];
          parsed.concepts.forEach(function (c) { c.alts.forEach(function (a) { terms.push(a.term); }); });
          // synonyms may start with characters the query does not contain: fetch their shards too
          var more = Array.from(new Set(terms.map(function (t) { return t[0]; })))
            .filter(function (c) { return shardSet.has(c) && !(shardKey(c) in store); });
          return Promise.all(more.map(function (c) { return load(shardKey(c)).catch(function () { return {}; }); }))
            .then(function () { return Promise.all(terms.map(postingsOf)); })
            .then(function () { return rank(parsed, cfg); });
        });
    });
  }
  function conceptScores(concept, n) {
    var scores = new Map();
    concept.alts.forEach(function (a) {
      var p = decoded[a.term];
      if (!p) return;
      var w = a.weight * idf(p.df, n) / LEVELS;
      p.docs.forEach(function (level, doc) {
        var s = w * level;
        if (!scores.has(doc) || scores.get(doc) < s) scores.set(doc, s);
      });
    });
    return scores;
  }
  function rank(parsed, cfg) {
    var n = cfg.n;
    var req = parsed.required.map(function (c) { return conceptScores(c, n); });
    var opt = parsed.optional.map(function (c) { return conceptScores(c, n); });
    var partial = false, docs = [];
    if (req.length) {
      req.slice().sort(function (a, b) { return a.size - b.size; })[0].forEach(function (_, doc) {
        if (req.every(function (m) { return m.has(doc); })) docs.push(doc);
      });
      if (!docs.length && req.length > 1) {
        // nothing has every word: show what has some of them, and say so
        partial = true;
        var any = new Set();
        req.forEach(function (m) { m.forEach(function (_, d) { any.add(d); }); });
        docs = Array.from(any);
      }
    }
    var all = req.concat(opt);
    var scored = docs.map(function (doc) {
      var s = 0;
      all.forEach(function (m) { s += m.get(doc) || 0; });
      return {doc: doc, score: s};
    });
    scored.sort(function (a, b) { return b.score - a.score || b.doc - a.doc; });
    return {parsed: parsed, results: scored, partial: partial, cfg: cfg};
  }
  function docInfo(doc, cfg) {
    var block = Math.floor(doc / cfg.block);
    return load("d/" + block).then(function (rows) {
      var r = rows[doc - block * cfg.block];
      return {doc: doc, url: r[0], title: r[1], date: r[2], community: r[3], topics: r[4] ? r[4].split(",") : [], text: r[5]};
    });
  }

  // --- snippets: found on the folded text, shown in the entry's own script (folding keeps offsets) ----------------
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; });
  }
  function highlight(text, terms, limit) {
    var folded = fold(text.toLowerCase());
    var marks = [];
    terms.forEach(function (t) {
      var at = folded.indexOf(t);
      while (at >= 0) { marks.push([at, at + t.length]); at = folded.indexOf(t, at + t.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var start = 0, end = text.length;
    if (limit) {
      var first = marks.length ? marks[0][0] : 0;
      start = Math.max(0, first - 30);
      end = Math.min(text.length, start + limit);
    }
    var out = start > 0 ? "…" : "", pos = start;
    marks.forEach(function (m) {
      if (m[0] < pos || m[0] >= end) return;
      out += escapeHtml(text.slice(pos, m[0])) + "<mark>" + escapeHtml(text.slice(m[0], Math.min(m[1], end))) + "</mark>";
      pos = Math.min(m[1], end);
    });
    out += escapeHtml(text.slice(pos, end)) + (end < text.length ? "…" : "");
    return out;
  }
  function matchedTerms(parsed) {
    var terms = [];
    parsed.concepts.forEach(function (c) { c.alts.forEach(function (a) { if (decoded[a.term]) terms.push(a.term); }); });
    return terms.sort(function (a, b) { return b.length - a.length; });
  }
  function siteUrl(rel) { return new URL("../" + rel, baseUrl()).href; }
  function searchPageUrl(q) { return new URL("../search/index.html?q=" + encodeURIComponent(q), baseUrl()).href; }

  function resultItem(info, terms, cfg) {
    var li = document.createElement("li");
    li.className = "diary-result";
    var topics = info.topics.map(function (s) {
      var t = cfg.topics.find(function (x) { return x[0] === s; });
      return t ? t[1] : s;
    });
    li.innerHTML = '<a class="diary-result__title" href="' + escapeHtml(siteUrl(info.url)) + '">' +
      highlight(info.title, terms, 0) + "</a>" +
      '<div class="diary-result__meta">' + escapeHtml(info.date) +
      (info.community >= 0 ? " · " + escapeHtml(cfg.communities[info.community]) : "") +
      (topics.length ? " · " + escapeHtml(topics.join("、")) : "") + "</div>" +
      '<p class="diary-result__snippet">' + highlight(info.text, terms, 110) + "</p>";
    return li;
  }

  // "never a blank page": topics whose names, keywords or questions share the most with the query
  function closestTopics(text, cfg) {
    var q = prepare(text);
    return cfg.topics.map(function (t) {
      var name = prepare(t[1]), score = 0;
      Array.from(new Set(Array.from(q))).forEach(function (c) { if (name.indexOf(c) >= 0) score++; });
      return {t: t, score: score};
    }).filter(function (x) { return x.score > 0; }).sort(function (a, b) { return b.score - a.score; }).slice(0, 4);
  }
  function emptyHelp(text, cfg) {
    var topicsHtml = closestTopics(text, cfg).map(function (x) {
      return '<a href="' + escapeHtml(siteUrl("topics/" + x.t[0] + ".html")) + '">' + escapeHtml(x.t[1]) + "</a>";
    });
    var questions = cfg.questions.slice(0, 8).map(function (q) {
      return '<a href="' + escapeHtml(searchPageUrl(q)) + '">' + escapeHtml(q) + "</a>";
    });
    return '<div class="diary-empty"><p>没有找到包含这些词的日记。换个说法试试，或者从主题看起：</p>' +
      (topicsHtml.length ? "<p>相近的主题：" + topicsHtml.join(" · ") + "</p>" : "") +
      '<p>常见问题：' + questions.join(" · ") + "</p>" +
      '<p><a href="' + escapeHtml(siteUrl("topics/index.html")) + '">全部主题</a></p></div>';
  }

  // --- filters (search page) -------------------------------------------------------------------------------------
  function applyFilters(results, filters, cfg) {
    if (!filters.topic && !filters.year && !filters.community) return Promise.resolve(results);
    return load("facets").then(function (facets) {
      var topicSet = filters.topic ? new Set(decodeIds(facets.topics[filters.topic] || "")) : null;
      var range = null;
      if (filters.year) { var y = cfg.years.find(function (r) { return String(r[0]) === filters.year; }); range = y ? [y[1], y[2]] : [1, 0]; }
      return results.filter(function (r) {
        if (topicSet && !topicSet.has(r.doc)) return false;
        if (range && (r.doc < range[0] || r.doc > range[1])) return false;
        if (filters.community !== "" && filters.community != null && String(facets.community[r.doc]) !== filters.community) return false;
        return true;
      });
    });
  }

  var PAGE = 20;
  var FIRST = 5;  // shown as soon as their entries arrive; the rest follow (each result may need its own doc file)
  function renderInto(list, meta, outcome, filtered, text, shown, onFirst) {
    var cfg = outcome.cfg, terms = matchedTerms(outcome.parsed);
    var top = filtered.slice(0, shown);
    function info(r) { return docInfo(r.doc, cfg); }
    return Promise.all(top.slice(0, FIRST).map(info)).then(function (infos) {
      list.innerHTML = "";
      infos.forEach(function (i) { list.appendChild(resultItem(i, terms, cfg)); });
      var dropped = outcome.parsed.dropped.length ? "（已忽略：" + outcome.parsed.dropped.join("、") + "）" : "";
      if (!filtered.length) {
        meta.innerHTML = "共 0 条结果" + escapeHtml(dropped) + emptyHelp(text, cfg);
      } else {
        meta.textContent = (outcome.partial ? "没有同时包含所有词的日记，以下是部分匹配：" : "") +
          "共 " + filtered.length + " 条结果" + dropped;
      }
      if (onFirst) onFirst();
      return Promise.all(top.slice(FIRST).map(info)).then(function (more) {
        more.forEach(function (i) { list.appendChild(resultItem(i, terms, cfg)); });
        return infos.length + more.length;
      });
    });
  }

  // --- the /search/ page -----------------------------------------------------------------------------------------
  function initPage(root) {
    var input = document.getElementById("diary-q"), list = document.getElementById("diary-results");
    var meta = document.getElementById("diary-meta");
    var sel = {topic: document.getElementById("diary-f-topic"), year: document.getElementById("diary-f-year"),
      community: document.getElementById("diary-f-community")};
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    // the page is sanitised like every page, so no inline handler: Enter searches here instead of reloading
    if (input.form) input.form.addEventListener("submit", function (e) { e.preventDefault(); });
    Object.keys(sel).forEach(function (k) { if (params.get(k)) sel[k].value = params.get(k); });
    var more = document.createElement("button");
    more.className = "diary-more md-button"; more.textContent = "显示更多"; more.hidden = true;
    list.after(more);
    var shown = PAGE, token = 0, current = null;
    function run() {
      var text = input.value, my = ++token;
      var filters = {topic: sel.topic.value, year: sel.year.value, community: sel.community.value};
      var u = new URLSearchParams();
      if (text) u.set("q", text);
      Object.keys(filters).forEach(function (k) { if (filters[k]) u.set(k, filters[k]); });
      try { history.replaceState(null, "", "?" + u.toString()); } catch (e) { /* file:// in some browsers */ }
      if (!text.trim()) {
        list.innerHTML = ""; more.hidden = true;
        ready().then(function (cfg) { meta.innerHTML = emptyHelp("", cfg).replace("没有找到包含这些词的日记。换个说法试试，或者从主题看起：", "输入遇到的问题开始搜索。"); });
        return;
      }
      search(text).then(function (outcome) {
        return applyFilters(outcome.results, filters, outcome.cfg).then(function (filtered) {
          if (my !== token) return;
          current = {outcome: outcome, filtered: filtered};
          return renderInto(list, meta, outcome, filtered, text, shown, function () {
            root.setAttribute("data-state", "first");  // the first results are on screen
          }).then(function () {
            if (my !== token) return;
            more.hidden = filtered.length <= shown;
            root.setAttribute("data-state", "done");
          });
        });
      }).catch(function (err) { meta.textContent = "搜索出错：" + err.message; });
    }
    var timer = null;
    input.addEventListener("input", function () { shown = PAGE; clearTimeout(timer); timer = setTimeout(run, 80); });
    Object.keys(sel).forEach(function (k) { sel[k].addEventListener("change", function () { shown = PAGE; run(); }); });
    more.addEventListener("click", function () {
      shown += PAGE;
      if (current) renderInto(list, meta, current.outcome, current.filtered, input.value, shown)
        .then(function () { more.hidden = current.filtered.length <= shown; });
    });
    run();
    input.focus();
  }

  // --- the header box on every page ------------------------------------------------------------------------------
  function initHeader(box) {
    var input = box.querySelector(".diary-hsearch__input"), panel = box.querySelector(".diary-hsearch__panel");
    var list = panel.querySelector(".diary-hsearch__list"), meta = panel.querySelector(".diary-hsearch__meta");
    var token = 0, timer = null;
    function run() {
      var text = input.value, my = ++token;
      if (!text.trim()) { panel.hidden = true; return; }
      search(text).then(function (outcome) {
        if (my !== token) return;
        return renderInto(list, meta, outcome, outcome.results, text, 6).then(function () {
          if (my !== token) return;
          if (outcome.results.length > 6) {
            var li = document.createElement("li");
            li.className = "diary-result diary-result--all";
            li.innerHTML = '<a href="' + escapeHtml(searchPageUrl(text)) + '">查看全部 ' + outcome.results.length + " 条结果 →</a>";
            list.appendChild(li);
          }
          panel.hidden = false;
          box.setAttribute("data-state", "done");
        });
      });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
    input.addEventListener("focus", function () { if (input.value.trim()) run(); });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) panel.hidden = true; });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") panel.hidden = true; });
  }

  window.diarySearch = {search: search, parseQuery: parseQuery, prepare: prepare, ready: ready, docInfo: docInfo};
  function init() {
    var page = document.getElementById("diary-search-page");
    if (page) initPage(page);
    document.querySelectorAll(".diary-hsearch").forEach(initHeader);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
