/* 民生日记 · 社区工作百科 — static search in the browser: loading the index and showing results.
 *
 * The engine (parse, rank) is diary-search-engine.js, a mirror of text/query.py and search/scoring.py; this file
 * loads what a query needs and renders it. Data files are <script>s calling __diaryPut, so search works from
 * file:// and with no network; nothing is rebuilt on page views. Every constant, URL pattern and message comes from
 * search-data/config.js, which Python writes (static_index.browser_config).
 */
(function () {
  "use strict";
  // the one message that cannot come from config.js: the one saying config.js itself did not load
  var NO_CONFIG = "搜索数据没有加载（config）：请刷新页面再试；如果一直这样，请告诉网站维护人重新生成网站。";

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

  function LoadError(key) { this.key = key; this.message = "cannot load " + key; }
  function load(key) {
    if (key in store) return Promise.resolve(store[key]);
    if (waiting[key]) return waiting[key][0].promise;
    var w = {};
    w.promise = new Promise(function (resolve, reject) { w.resolve = resolve; w.reject = reject; });
    waiting[key] = [w];
    var s = document.createElement("script");
    s.src = new URL(key + ".js", baseUrl()).href;
    s.async = true;
    // not swallowed: a missing shard would silently drop results, so the user is told (see failMessage)
    s.onerror = function () { delete waiting[key]; s.remove(); w.reject(new LoadError(key)); };
    document.head.appendChild(s);
    return w.promise;
  }
  function loadAll(keys) { return Promise.all(keys.map(load)); }

  var engine = null;
  function ready() {
    return loadAll(["config", "fold"]).then(function (r) {
      if (!engine) engine = new window.DiarySearchEngine(r[0], r[1]);
      return r[0];
    });
  }
  function failMessage(err) {
    var key = err && err.key ? err.key : "?";
    if (!engine || key === "config" || key === "fold") return NO_CONFIG;
    return engine.cfg.messages.loadError.replace("{key}", key);
  }
  function fold(text) { return engine.fold(text); }
  function prepare(text) { return engine.prepare(text); }

  // --- index access --------------------------------------------------------------------------------------------
  function shardKey(ch) { return "v/" + ch.codePointAt(0).toString(16); }
  var decoded = {};
  function postingsOf(term) {
    if (term in decoded) return Promise.resolve(decoded[term]);
    var shard = store[shardKey(term[0])] || {};
    var entry = Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
    if (!entry) return Promise.resolve(null);
    var p = typeof entry[1] === "string" ? Promise.resolve(entry[1])
      : load("p/" + term[0].codePointAt(0).toString(16) + "-" + entry[1]);
    return p.then(function (s) { decoded[term] = engine.decodePostings(s); return decoded[term]; });
  }
  function loadShards(chars, cfg) {
    var shardSet = new Set(Array.from(cfg.shards));
    return loadAll(Array.from(new Set(chars)).filter(function (c) { return shardSet.has(c); }).map(shardKey));
  }

  // --- search ----------------------------------------------------------------------------------------------------
  function parse(text) {
    return engine.parseQuery(text, function (t) {
      var sh = store[shardKey(t[0])];
      return !!(sh && Object.prototype.hasOwnProperty.call(sh, t));
    });
  }
  function search(text) {
    return ready().then(function (cfg) {
      return loadShards(Array.from(prepare(text)), cfg).then(function () {
        var parsed = parse(text);
        var terms = [];
        parsed.concepts.forEach(function (c) { c.alts.forEach(function (a) { terms.push(a.term); }); });
        // synonyms and topic tags may start with characters the query does not contain: fetch their shards too
        return loadShards(terms.map(function (t) { return t[0]; }), cfg)
          .then(function () { return Promise.all(terms.map(postingsOf)); })
          .then(function () {
            var results = engine.rank(parsed, function (t) { return decoded[t] || null; }, cfg.n);
            return {parsed: parsed, results: results, need: parsed.required.length, cfg: cfg};
          });
      });
    });
  }
  function fullCount(outcome, results) {
    return results.filter(function (r) { return r.covered === outcome.need; }).length;
  }
  function docInfo(doc, cfg) {
    var block = Math.floor(doc / cfg.block);
    return load("d/" + block).then(function (rows) {
      var r = rows[doc - block * cfg.block], info = {doc: doc};
      cfg.rowColumns.forEach(function (name, i) { info[name] = r[i]; });
      info.topics = info.topics ? info.topics.split(",") : [];
      return info;
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
    parsed.concepts.forEach(function (c) {
      c.alts.forEach(function (a) { if (decoded[a.term] && a.term[0] !== engine.cfg.topicPrefix) terms.push(a.term); });
    });
    return terms.sort(function (a, b) { return b.length - a.length; });
  }
  function siteUrl(rel) { return new URL("../" + rel, baseUrl()).href; }
  function searchPageUrl(q) { return siteUrl(engine.cfg.urls.search) + "?q=" + encodeURIComponent(q); }
  function topicUrl(slug) { return siteUrl(engine.cfg.urls.topic.replace("{slug}", slug)); }

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
      return '<a href="' + escapeHtml(topicUrl(x.t[0])) + '">' + escapeHtml(x.t[1]) + "</a>";
    });
    var questions = cfg.questions.slice(0, 8).map(function (q) {
      return '<a href="' + escapeHtml(searchPageUrl(q)) + '">' + escapeHtml(q) + "</a>";
    });
    return '<div class="diary-empty"><p>没有找到包含这些词的日记。换个说法试试，或者从主题看起：</p>' +
      (topicsHtml.length ? "<p>相近的主题：" + topicsHtml.join(" · ") + "</p>" : "") +
      '<p>常见问题：' + questions.join(" · ") + "</p>" +
      '<p><a href="' + escapeHtml(siteUrl(cfg.urls.topics)) + '">全部主题</a></p></div>';
  }

  // --- filters (search page) -------------------------------------------------------------------------------------
  function applyFilters(results, filters, cfg) {
    if (!filters.topic && !filters.year && !filters.community) return Promise.resolve(results);
    return load("facets").then(function (facets) {
      var topicSet = filters.topic ? new Set(engine.decodeIds(facets.topics[filters.topic] || "")) : null;
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
  function partialLine(cfg) {
    var li = document.createElement("li");
    li.className = "diary-result diary-result--partial";
    li.textContent = cfg.messages.partial;
    return li;
  }
  // full matches first, then (under cfg.messages.partial) the entries with only some of the query's concepts
  function renderInto(list, meta, outcome, filtered, text, shown, onFirst) {
    var cfg = outcome.cfg, terms = matchedTerms(outcome.parsed);
    var top = filtered.slice(0, shown), full = fullCount(outcome, filtered);
    function info(r) { return docInfo(r.doc, cfg); }
    function append(infos, from) {
      infos.forEach(function (i, k) {
        if (from + k === full && full < filtered.length) list.appendChild(partialLine(cfg));
        list.appendChild(resultItem(i, terms, cfg));
      });
    }
    return Promise.all(top.slice(0, FIRST).map(info)).then(function (infos) {
      list.innerHTML = "";
      append(infos, 0);
      var dropped = (outcome.parsed.dropped.length ? "（已忽略：" + outcome.parsed.dropped.join("、") + "）" : "") +
        (outcome.parsed.missing.length ? "（没有日记提到：" + outcome.parsed.missing.join("、") + "）" : "");
      if (!filtered.length) {
        meta.innerHTML = "共 0 条结果" + escapeHtml(dropped) + emptyHelp(text, cfg);
      } else {
        meta.textContent = (full ? "共 " + full + " 条结果" : "没有同时包含所有词的日记") + dropped;
      }
      if (onFirst) onFirst();
      return Promise.all(top.slice(FIRST).map(info)).then(function (more) {
        append(more, infos.length);
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
      }).catch(function (err) {
        if (my !== token) return;
        list.innerHTML = ""; more.hidden = true;
        meta.textContent = failMessage(err);
        root.setAttribute("data-state", "error");
      });
    }
    onTyping(input, function () { shown = PAGE; run(); });
    Object.keys(sel).forEach(function (k) { sel[k].addEventListener("change", function () { shown = PAGE; run(); }); });
    more.addEventListener("click", function () {
      shown += PAGE;
      if (current) renderInto(list, meta, current.outcome, current.filtered, input.value, shown)
        .then(function () { more.hidden = current.filtered.length <= shown; });
    });
    run();
    input.focus();
  }

  // --- typing ----------------------------------------------------------------------------------------------------
  // A query typed after a pause is searched at once; while keys keep coming less than TYPING_GAP_MS apart, only the
  // text they end on is searched, once they stop (a search per keystroke would fetch shards for half-typed words).
  // Pinyin still being composed (iOS shows it in the box as marked text) is not a query yet: the characters arrive
  // with compositionend. Safari fires that before its last input event, Chrome after: the same text is not
  // searched twice.
  var TYPING_GAP_MS = 80;
  function onTyping(input, search) {
    var timer = null, lastKey = -Infinity, searched = input.value;
    function typed() {
      var now = Date.now(), paused = now - lastKey >= TYPING_GAP_MS;
      lastKey = now;
      clearTimeout(timer);
      if (input.value === searched) return;
      function go() { searched = input.value; search(); }
      if (paused) go(); else timer = setTimeout(go, TYPING_GAP_MS);
    }
    input.addEventListener("input", function (e) { if (!e.isComposing) typed(); });
    input.addEventListener("compositionend", typed);
  }

  // --- the header box on every page ------------------------------------------------------------------------------
  function initHeader(box) {
    var input = box.querySelector(".diary-hsearch__input"), panel = box.querySelector(".diary-hsearch__panel");
    var list = panel.querySelector(".diary-hsearch__list"), meta = panel.querySelector(".diary-hsearch__meta");
    var token = 0;
    function run() {
      var text = input.value, my = ++token;
      if (!text.trim()) { panel.hidden = true; return; }
      search(text).then(function (outcome) {
        if (my !== token) return;
        return renderInto(list, meta, outcome, outcome.results, text, 6).then(function () {
          if (my !== token) return;
          if (outcome.results.length > 6) {
            var li = document.createElement("li"), full = fullCount(outcome, outcome.results);
            li.className = "diary-result diary-result--all";
            li.innerHTML = '<a href="' + escapeHtml(searchPageUrl(text)) + '">查看全部' +
              (full ? " " + full + " 条" : "") + "结果 →</a>";
            list.appendChild(li);
          }
          panel.hidden = false;
          box.setAttribute("data-state", "done");
        });
      }).catch(function (err) {
        if (my !== token) return;
        list.innerHTML = ""; meta.textContent = failMessage(err); panel.hidden = false;
        box.setAttribute("data-state", "error");
      });
    }
    onTyping(input, run);
    input.addEventListener("focus", function () { if (input.value.trim()) run(); });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) panel.hidden = true; });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") panel.hidden = true; });
  }

  // for tests and benchmarks: the engine's answers without the DOM
  window.diarySearch = {
    search: search, ready: ready, docInfo: docInfo, fullCount: fullCount,
    parse: function (text) {  // parse after loading the shards the text needs, as search() does
      return ready().then(function (cfg) { return loadShards(Array.from(prepare(text)), cfg); })
        .then(function () { return parse(text); });
    }
  };
  function init() {
    var page = document.getElementById("diary-search-page");
    if (page) initPage(page);
    document.querySelectorAll(".diary-hsearch").forEach(initHeader);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
