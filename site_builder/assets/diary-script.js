/* 民生日记 — the 简体 / 原文 switch on every page.
 *
 * A mainland trainee can read entries written in Traditional characters in Simplified. The table is the one the
 * site's search folds with: Python writes it (site_builder/render/simplified.py, from text/fold.py) to
 * diary-fold.js beside this file, loaded only when the switch is on, as a <script> so it works from file:// and
 * offline. Folding is character for character, so a text node keeps its length and a search highlight (<mark>)
 * stays on the same characters. Default is the original text; the choice is remembered in localStorage, which
 * WeChat's browser and file:// pages may refuse (then the switch still works for the page, it is just not kept).
 *
 * Text that appears later (search results, the header search panel) is converted by a MutationObserver while the
 * switch is on. After each change the document gets a "diary:script" event with detail {mode: "simplified" |
 * "original"}, for other scripts that need to know.
 */
(function () {
  "use strict";
  var KEY = "diary-script";
  var SIMPLIFIED = "simplified", ORIGINAL = "original";
  var SKIP = {SCRIPT: 1, STYLE: 1, TEXTAREA: 1, NOSCRIPT: 1, TEMPLATE: 1};
  var current = document.currentScript;
  var tableUrl = current && current.src ? current.src.replace(/[^\/?#]*([?#].*)?$/, "diary-fold.js") : "";

  function remembered() {
    try { return window.localStorage.getItem(KEY) === SIMPLIFIED ? SIMPLIFIED : ORIGINAL; } catch (e) { return ORIGINAL; }
  }
  function remember(mode) {
    try { window.localStorage.setItem(KEY, mode); } catch (e) { /* not kept: WeChat, file://, private mode */ }
  }

  var table = null, loading = null;
  function loadTable() {
    if (table) return Promise.resolve(table);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      function ready() {
        var chars = Array.from(window.__diaryFoldTable || "");  // pairs; some characters are outside the BMP
        table = {};
        for (var i = 0; i + 1 < chars.length; i += 2) table[chars[i]] = chars[i + 1];
        resolve(table);
      }
      if (window.__diaryFoldTable) { ready(); return; }
      var s = document.createElement("script");
      s.src = tableUrl;
      s.onload = ready;
      s.onerror = function () { loading = null; reject(new Error("cannot load " + tableUrl)); };
      document.head.appendChild(s);
    });
    return loading;
  }

  function fold(text) {
    var out = "", changed = false;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i), ch = text[i];
      if (code >= 0xD800 && code < 0xDC00 && i + 1 < text.length) { ch = text.substr(i, 2); i++; }
      var to = table[ch];
      if (to) { out += to; changed = true; } else { out += ch; }
    }
    return changed ? out : text;
  }

  // every text node we changed keeps its original; a node the page rewrites later is taken as a new original
  function convertNode(node) {
    if (node.__diaryShown !== undefined && node.data === node.__diaryShown) return;
    var shown = fold(node.data);
    if (shown === node.data) return;
    node.__diaryOriginal = node.data;
    node.__diaryShown = shown;
    node.data = shown;
  }
  function walk(root, visit) {
    if (root.nodeType === 3) { visit(root); return; }
    if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) return;
    if (root.nodeType === 1 && SKIP[root.nodeName]) return;
    var it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        for (var p = n.parentNode; p && p !== root; p = p.parentNode) if (SKIP[p.nodeName]) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var n = it.nextNode(); n; n = it.nextNode()) visit(n);
  }
  function restoreNode(node) {
    if (node.__diaryShown !== undefined && node.data === node.__diaryShown) node.data = node.__diaryOriginal;
    node.__diaryShown = undefined;
    node.__diaryOriginal = undefined;
  }

  var observer = null, originalTitle = document.title, originalLang = document.documentElement.lang;
  function startObserving() {
    if (observer || !window.MutationObserver) return;
    observer = new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === "characterData") { convertNode(r.target); return; }
        for (var i = 0; i < r.addedNodes.length; i++) walk(r.addedNodes[i], convertNode);
      });
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  }

  var mode = ORIGINAL, button = null;
  function show() {
    if (!button) return;
    button.setAttribute("aria-pressed", mode === SIMPLIFIED ? "true" : "false");
    button.children[0].className = "diary-script__opt" + (mode === SIMPLIFIED ? " diary-script__opt--on" : "");
    button.children[1].className = "diary-script__opt" + (mode === ORIGINAL ? " diary-script__opt--on" : "");
  }
  function announce() {
    document.documentElement.setAttribute("data-diary-script", mode);
    var ev;
    try { ev = new CustomEvent("diary:script", {detail: {mode: mode}}); } catch (e) { return; }
    document.dispatchEvent(ev);
  }
  function apply(next) {
    mode = next;
    show();
    if (mode === SIMPLIFIED) {
      return loadTable().then(function () {
        if (mode !== SIMPLIFIED) return;  // switched back while the table was loading
        walk(document.body, convertNode);
        document.title = fold(originalTitle);
        document.documentElement.lang = "zh-Hans";
        startObserving();
        announce();
      }, function () { mode = ORIGINAL; show(); announce(); });
    }
    if (observer) { observer.disconnect(); observer = null; }
    walk(document.body, restoreNode);
    document.title = originalTitle;
    document.documentElement.lang = originalLang;
    announce();
    return Promise.resolve();
  }

  function addSwitch() {
    button = document.createElement("button");
    button.type = "button";
    button.className = "diary-script";
    button.title = "繁体字显示为简体字 / 显示原文";
    button.innerHTML = '<span class="diary-script__opt">简体</span> / <span class="diary-script__opt">原文</span>';
    button.addEventListener("click", function () {
      var next = mode === SIMPLIFIED ? ORIGINAL : SIMPLIFIED;
      remember(next);
      apply(next);
    });
    var header = document.querySelector(".md-header__inner");
    var search = header && header.querySelector(".diary-hsearch");
    if (search) search.parentNode.insertBefore(button, search.nextSibling);
    else if (header) header.appendChild(button);
    else document.body.insertBefore(button, document.body.firstChild);
  }

  function init() {
    addSwitch();
    apply(remembered());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
