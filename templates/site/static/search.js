// Client-side search over the sharded index in search/ (format: daily_papers.site).
// No network beyond this site's own files; paper text is only ever set with textContent.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var toggle = document.getElementById("theme-toggle");
  var root = form ? form.getAttribute("data-root") || "" : "";
  var manifest = null;
  var shardList = null;
  var cache = new Map();
  var current = null;
  var timer = 0;
  var generation = 0;

  // Letters that Unicode does not decompose; mirrors daily_papers.tex.fold.
  var PLAIN = { "ł": "l", "ø": "o", "ı": "i", "ȷ": "j", "đ": "d", "ß": "ss" };

  function fold(text) {
    var s = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    s = s.replace(/[łøıȷđß]/g, function (c) { return PLAIN[c]; });
    return s.split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  function getJSON(path) {
    if (cache.has(path)) return cache.get(path);
    var promise = fetch(root + path, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
    cache.set(path, promise);
    promise.catch(function () { cache.delete(path); });
    return promise;
  }

  function hex(text) {
    var out = "";
    new TextEncoder().encode(text).forEach(function (b) { out += (b < 16 ? "0" : "") + b.toString(16); });
    return out;
  }

  function loadManifest() {
    return getJSON("search/manifest.json").then(function (m) {
      manifest = m;
      shardList = m.shards;
      return m;
    });
  }

  // The shard holding a token: the longest listed prefix of it.
  function shardFor(token) {
    var best = null;
    for (var i = 0; i < shardList.length; i++) {
      var p = shardList[i][0];
      if (token.lastIndexOf(p, 0) === 0 && (best === null || p.length > best.length)) best = p;
    }
    return best;
  }

  // Shards that may hold tokens starting with word, or null when they exceed the budget.
  function prefixShards(word) {
    var names = new Set();
    var total = 0;
    var own = shardFor(word);
    if (own !== null) names.add(own);
    shardList.forEach(function (s) {
      if (s[0].lastIndexOf(word, 0) === 0) names.add(s[0]);
    });
    shardList.forEach(function (s) { if (names.has(s[0])) total += s[1]; });
    return total <= manifest.prefix_budget ? Array.from(names) : null;
  }

  function decode(text) {
    var out = [];
    var n = 0;
    text.split(",").forEach(function (d) { n += parseInt(d, 10); out.push(n); });
    return out;
  }

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function postingsFor(word, asPrefix) {
    var shards = asPrefix ? prefixShards(word) : null;
    if (shards === null) {
      var own = shardFor(word);
      shards = own === null ? [] : [own];
      asPrefix = false;
    }
    return Promise.all(shards.map(function (p) { return getJSON("search/s/" + hex(p) + ".json"); }))
      .then(function (parts) {
        var found = new Set();
        parts.forEach(function (part) {
          Object.keys(part).forEach(function (token) {
            if (asPrefix ? token.lastIndexOf(word, 0) === 0 : token === word) {
              decode(part[token]).forEach(function (n) { found.add(n); });
            }
          });
        });
        return Array.from(found).sort(function (x, y) { return x - y; });
      });
  }

  function queryWords(text) {
    var stop = new Set(manifest.stop_words);
    // the index keeps a long word's first max_token characters (code points, as Python counts)
    return fold(text).filter(function (w) { return !stop.has(w); }).map(function (w) {
      return Array.from(w).slice(0, manifest.max_token).join("");
    });
  }

  function search(text) {
    var mine = ++generation;
    return loadManifest().then(function () {
      var words = queryWords(text);
      if (words.length === 0) {
        show(mine, text, null);
        return;
      }
      var last = words.length - 1;
      var tail = /[\p{L}\p{N}]$/u.test(text);
      return Promise.all(words.map(function (w, i) {
        return postingsFor(w, i === last && tail && w.length >= manifest.min_prefix);
      })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var hits = lists.reduce(intersect);
        show(mine, text, hits);
      });
    }).catch(function (err) {
      if (mine === generation) status.textContent = "Search failed: " + err.message;
    });
  }

  function show(mine, text, hits) {
    if (mine !== generation) return;
    results.textContent = "";
    if (hits === null) {
      current = null;
      results.hidden = true;
      status.textContent = text.trim() ? "Type a longer or less common word." : "";
      return;
    }
    current = { hits: hits, shown: 0, list: document.createElement("ol") };
    status.textContent = hits.length === 0
      ? "No paper matches \u201c" + text.trim() + "\u201d."
      : hits.length + (hits.length === 1 ? " paper matches" : " papers match") +
        " \u201c" + text.trim() + "\u201d.";
    results.hidden = hits.length === 0;
    results.appendChild(current.list);
    if (hits.length) more(mine);
  }

  function more(mine) {
    var state = current;
    var page = state.hits.slice(state.shown, state.shown + manifest.per_page);
    state.shown += page.length;
    var chunks = Array.from(new Set(page.map(function (n) { return Math.floor(n / manifest.chunk_size); })));
    return Promise.all(chunks.map(function (c) { return getJSON("search/d/" + c + ".json"); }))
      .then(function (parts) {
        if (mine !== generation) return;
        var byChunk = new Map();
        chunks.forEach(function (c, i) { byChunk.set(c, parts[i]); });
        page.forEach(function (n) {
          var row = byChunk.get(Math.floor(n / manifest.chunk_size))[n % manifest.chunk_size];
          state.list.appendChild(item(row));
        });
        var old = results.querySelector(".more-results");
        if (old) old.remove();
        if (state.shown < state.hits.length) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "more-results";
          button.textContent = "More results (" + (state.hits.length - state.shown) + " left)";
          button.addEventListener("click", function () { more(generation); });
          results.appendChild(button);
        }
      });
  }

  function field(row, name) { return row[manifest.fields.indexOf(name)]; }

  function link(href, text) {
    var a = document.createElement("a");
    // schemes are case-blind (HTTPS://...), paths of this site are relative
    if (/^https?:\/\//i.test(href)) a.href = href; else a.href = root + href;
    a.textContent = text;
    return a;
  }

  function line(cls, label, text) {
    var p = document.createElement("p");
    p.className = cls;
    if (label) {
      var span = document.createElement("span");
      span.className = "label";
      span.textContent = label + " ";
      p.appendChild(span);
    }
    p.appendChild(document.createTextNode(text));
    return p;
  }

  function item(row) {
    var li = document.createElement("li");
    li.className = "result";
    var h = document.createElement("h3");
    h.className = "title";
    h.appendChild(link(field(row, "url"), field(row, "title")));
    li.appendChild(h);
    li.appendChild(line("meta", "", field(row, "date") + " \u00b7 " + field(row, "authors") +
      " \u00b7 " + field(row, "topics").join(", ")));
    if (field(row, "venue")) li.appendChild(line("venue", "Venue:", field(row, "venue")));
    if (field(row, "comment")) li.appendChild(line("comment", "Comment:", field(row, "comment")));
    var links = document.createElement("p");
    links.className = "links";
    links.appendChild(link(field(row, "abs"), "abs"));
    links.appendChild(link(field(row, "pdf"), "PDF"));
    if (field(row, "code")) links.appendChild(link(field(row, "code"), "code"));
    li.appendChild(links);
    return li;
  }

  function applyTheme() {
    if (!toggle) return;
    var explicit = document.documentElement.dataset.theme;
    var dark = explicit ? explicit === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
  }

  if (toggle) {
    applyTheme();
    toggle.addEventListener("click", function () {
      var dark = toggle.getAttribute("aria-pressed") !== "true";
      document.documentElement.dataset.theme = dark ? "dark" : "light";
      try { localStorage.setItem("daily-papers-theme", dark ? "dark" : "light"); } catch (e) { /* ignore */ }
      applyTheme();
    });
  }

  if (!input) return;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { clearTimeout(timer); search(input.value); }
    if (event.key === "Escape") { input.value = ""; clearTimeout(timer); search(""); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
