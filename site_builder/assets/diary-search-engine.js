/* 民生日记 · 社区工作百科 — the search engine of the browser: pure functions, no DOM, no loading.
 *
 * Mirrors site_builder/text/query.py (parse_query) and site_builder/search/scoring.py (rank) step for step. Every
 * table and constant comes from the config Python writes (search-data/config.js, see static_index.browser_config);
 * nothing here is copied by hand. Scores are integers, as in scoring.py, so both sides agree exactly.
 */
(function (root) {
  "use strict";

  function Engine(cfg, foldPairs) {
    this.cfg = cfg;
    this.code = {};
    for (var i = 0; i < cfg.alphabet.length; i++) this.code[cfg.alphabet[i]] = i;
    this.foldMap = {};
    var chars = Array.from(foldPairs || "");
    for (var j = 0; j + 1 < chars.length; j += 2) this.foldMap[chars[j]] = chars[j + 1];
    this.topicWords = {};
    var self = this;
    (cfg.topicWords || []).forEach(function (p) { self.topicWords[p[0]] = p[1]; });
    this.nouns = new Set(Array.from(cfg.nouns || ""));
  }

  Engine.prototype.fold = function (text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { var c = text[i]; out += this.foldMap[c] || c; }
    return out;
  };
  Engine.prototype.prepare = function (text) { return this.fold(text.normalize("NFKC").toLowerCase()).trim(); };

  function longest(chunk, start, limit, accept) {
    for (var end = Math.min(chunk.length, start + limit); end > start; end--) {
      var s = chunk.slice(start, end);
      if (accept(s)) return s;
    }
    return "";
  }

  Engine.prototype.topicAlternatives = function (words) {
    var seen = {}, out = [], cfg = this.cfg, self = this;
    words.forEach(function (w) {
      (self.topicWords[w] || []).forEach(function (slug) {
        if (!seen[slug]) { seen[slug] = true; out.push({term: cfg.topicPrefix + slug, weight: cfg.weights.topic}); }
      });
    });
    return out;
  };

  // parse_query in text/query.py: longest synonym phrase, filler or index word at each position; a stretch of
  // single characters with one that no entry has is a required concept nothing covers
  Engine.prototype.parseQuery = function (text, hasTerm) {
    var cfg = this.cfg, self = this;
    var phrases = {}, longestPhrase = 0;
    cfg.groups.forEach(function (g, gi) {
      g.forEach(function (m) { if (!(m in phrases)) phrases[m] = gi; longestPhrase = Math.max(longestPhrase, m.length); });
    });
    var fillers = {}, longestFiller = 0;
    cfg.filler.forEach(function (f) { fillers[f] = true; longestFiller = Math.max(longestFiller, f.length); });
    var concepts = [], dropped = [], seen = {};
    function add(concept) {
      if (!seen[concept.label]) { seen[concept.label] = true; concepts.push(concept); }
    }
    (this.prepare(text).match(new RegExp(cfg.chunk, "g")) || []).forEach(function (chunk) {
      var i = 0, run = "", unknown = false;
      function closeRun() {
        if (run.length > 1 && unknown) add({label: run, required: true, unknown: true, alts: [{term: run, weight: cfg.weights.typed}]});
        run = ""; unknown = false;
      }
      while (i < chunk.length) {
        var phrase = longest(chunk, i, longestPhrase, function (s) { return s in phrases; });
        var filler = longest(chunk, i, longestFiller, function (s) { return s in fillers; });
        var term = longest(chunk, i, cfg.maxTerm, function (s) { return hasTerm(s) || s in self.topicWords; });
        var best = Math.max(phrase.length, filler.length, term.length);
        if (best === 0) { run += chunk[i]; unknown = true; i += 1; continue; }
        if (phrase.length === best) {
          closeRun();
          var group = cfg.groups[phrases[phrase]];
          add({label: phrase, required: true, alts: group.map(function (m) {
            return {term: m, weight: m === phrase ? cfg.weights.typed : cfg.weights.synonym};
          }).concat(self.topicAlternatives(group))});
        } else if (filler.length === best) {
          closeRun();
          dropped.push(filler);
        } else if (term.length > 1) {
          closeRun();
          add({label: term, required: true,
            alts: [{term: term, weight: cfg.weights.typed}].concat(self.topicAlternatives([term]))});
        } else {  // a single character: a noun is a concept, others only boost
          run += term;
          add({label: term, required: self.nouns.has(term), alts: [{term: term, weight: cfg.weights.typed}]});
        }
        i += best;
      }
      closeRun();
    });
    var req = concepts.filter(function (c) { return c.required; });
    if (!req.length) req = concepts.slice();
    var optional = concepts.filter(function (c) { return req.indexOf(c) < 0; });
    var missing = concepts.filter(function (c) { return c.unknown; }).map(function (c) { return c.label; });
    return {concepts: concepts, required: req, optional: optional, dropped: dropped, missing: missing};
  };

  // --- index format (static_index.py): varint doc deltas and levels in the config's alphabet ------------------
  Engine.prototype.decodePostings = function (s) {
    var out = new Map(), doc = 0, i = 0, code = this.code;
    while (i < s.length) {
      var n = 0, shift = 0, v;
      do { v = code[s[i++]]; n += (v & 31) * Math.pow(2, shift); shift += 5; } while (v & 32);
      doc += n;
      out.set(doc, code[s[i++]]);
    }
    return out;
  };
  Engine.prototype.decodeIds = function (s) {
    var out = [], doc = 0, i = 0, code = this.code;
    while (i < s.length) {
      var n = 0, shift = 0, v;
      do { v = code[s[i++]]; n += (v & 31) * Math.pow(2, shift); shift += 5; } while (v & 32);
      doc += n; out.push(doc);
    }
    return out;
  };

  // --- ranking: scoring.py, in the same integer steps ------------------------------------------------------------
  Engine.prototype.idf = function (df, n) {
    return Math.floor(this.cfg.idfScale * Math.log(1 + (n - df + 0.5) / (df + 0.5)) + 0.5);
  };
  Engine.prototype.conceptScores = function (concept, postingsOf, n) {
    var scores = new Map(), self = this;
    concept.alts.forEach(function (a) {
      var docs = postingsOf(a.term);
      if (!docs || !docs.size) return;
      var w = a.weight * self.idf(docs.size, n);
      docs.forEach(function (level, doc) {
        var s = w * level;
        if (s > (scores.get(doc) || 0)) scores.set(doc, s);
      });
    });
    return scores;
  };
  // postingsOf(term) → Map doc → level, or null; returns [{doc, covered, score}] best first
  Engine.prototype.rank = function (parsed, postingsOf, n) {
    var self = this;
    var per = parsed.concepts.map(function (c) { return self.conceptScores(c, postingsOf, n); });
    var covered = new Map();
    parsed.concepts.forEach(function (c, i) {
      if (parsed.required.indexOf(c) < 0) return;
      per[i].forEach(function (_, doc) { covered.set(doc, (covered.get(doc) || 0) + 1); });
    });
    var total = new Map();
    covered.forEach(function (_, doc) { total.set(doc, 0); });
    per.forEach(function (scores) {
      scores.forEach(function (s, doc) { if (total.has(doc)) total.set(doc, total.get(doc) + s); });
    });
    var out = [];
    covered.forEach(function (c, doc) { out.push({doc: doc, covered: c, score: total.get(doc)}); });
    out.sort(function (a, b) { return b.covered - a.covered || b.score - a.score || b.doc - a.doc; });
    return out;
  };

  root.DiarySearchEngine = Engine;
})(window);
