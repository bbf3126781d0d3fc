// The newest run's scores in the search results of a site with a library (daily_papers.site.ranked).
// A separate script so that search.js, and a site without a library, stay as they were: it marks
// each result search.js adds, by the paper anchor its link ends in, with text only (textContent).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var results = document.getElementById("search-results");
  if (!form || !results || typeof MutationObserver === "undefined") return;
  var root = form.getAttribute("data-root") || "";
  var scores = null;

  function load() {
    if (scores === null) {
      scores = fetch(root + "search/scores.json", { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("search/scores.json: HTTP " + r.status);
        return r.json();
      });
      scores.catch(function () { scores = null; });
    }
    return scores;
  }

  function mark(item, table) {
    if (item.querySelector(".score")) return;
    var link = item.querySelector(".title a");
    var href = link ? link.getAttribute("href") || "" : "";
    var found = table.marks[href.slice(href.indexOf("#") + 1)];
    if (href.indexOf("#") < 0 || !found) return;
    var p = document.createElement("p");
    p.className = "score";
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = "Score on " + table.day + " ";
    var value = document.createElement("span");
    value.className = "value";
    value.textContent = found[0];
    p.appendChild(label);
    p.appendChild(value);
    p.appendChild(document.createTextNode(" \u00b7 " + found[1]));
    item.insertBefore(p, link.parentNode.nextSibling);
  }

  new MutationObserver(function () {
    var items = results.querySelectorAll(".result");
    if (items.length === 0) return;
    load().then(function (table) {
      items.forEach(function (item) { mark(item, table); });
    }).catch(function () { /* the results stay as search.js shows them */ });
  }).observe(results, { childList: true, subtree: true });
})();
