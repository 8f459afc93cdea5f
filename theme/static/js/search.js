// Search page: Pagefind's UI from our own host. The query, the filters and the
// order live in the address's fragment (#q=…&Gremium=…), so a search can be shared
// and bookmarked, and the browser never sends the term to the server: no web
// server log holds what a visitor searched for (content/pages/datenschutz.md says so).
// Addresses with ?q=… (bookmarks from before) are still read, and rewritten.
//
// The UI reads the index through pagefind-text/pagefind.js, which hands it every
// filter name and value as escaped HTML (the UI writes them with innerHTML). The
// address holds the source's text: asHtml/asText translate between the two.
import { asHtml, asText } from "./pagefind-text/pagefind.js";

(function () {
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") { return; }

  // A typed reference number (VO/2025/0012, 2025/0012, 1234/89, DS 17/0815) is
  // joined into the single word the paper pages carry (VO20250012X, 20250012X;
  // see Paper.reference_tokens in plugins/council/graph.py).
  var REFERENCE = /^\s*([A-Za-zÄÖÜäöü]{0,6})\s*[\/\-.]?\s*(\d{1,5})\s*[\/\-.]\s*(\d{1,6})(?:\s*-\s*(\d{1,3}))?\s*$/;
  function processTerm(term) {
    var match = REFERENCE.exec(term);
    if (!match) { return term; }
    return (match[1] + match[2] + match[3] + (match[4] || "") + "X").toUpperCase();
  }

  // A fragment without "=" is an anchor (the skip link's #inhalt), not a search.
  function searchFragment() {
    var fragment = window.location.hash.replace(/^#/, "");
    return fragment.indexOf("=") >= 0 ? fragment : "";
  }
  var params = new URLSearchParams(searchFragment() || window.location.search);
  if (!searchFragment() && window.location.search) {
    // An old bookmark sent its term once; the address bar and history keep it no longer.
    history.replaceState(null, "", window.location.pathname + (params.toString() ? "#" + params.toString() : ""));
  }
  // Another search in the fragment (edited address, back and forward, the order below):
  // Pagefind takes the order only when it starts, so the page starts again.
  window.addEventListener("hashchange", function () {
    if (searchFragment() || !window.location.hash) { window.location.reload(); }
  });
  // Pagefind imports its modules from this path: it must be absolute, so the
  // relative path of this page is resolved here (works under any subpath).
  var bundle = new URL(container.getAttribute("data-bundle"), document.baseURI).href;
  // A big city's index is split into bundles (plugins/council/shards.py), merged here.
  var bundles = (container.getAttribute("data-bundles") || "").split(" ").filter(Boolean)
    .map(function (name) { return bundle + name + "/"; });
  var ui = new PagefindUI({
    element: "#search",
    // The UI imports "<bundlePath>pagefind.js": our text-only layer, which loads the real bundle
    // from basePath (a Pagefind option the UI passes on).
    bundlePath: new URL("pagefind-text/", import.meta.url).href,
    basePath: bundles.length ? bundles[0] : bundle,
    mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
    // Result URLs are stored from the site root; prefix them with where this site lives.
    baseUrl: new URL(container.getAttribute("data-root") || "./", document.baseURI).pathname,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    processTerm: processTerm,
    // "Neueste zuerst" sorts by the date every meeting, paper and document carries
    // (data-pagefind-sort="datum:…"); pages without a date drop out of that view.
    sort: params.get("sortierung") === "datum" ? { datum: "desc" } : null
  });

  // The sort order is chosen before the search starts: changing it reloads with it in the fragment.
  var order = document.createElement("p");
  order.className = "search-order";
  order.innerHTML = '<label for="sortierung">Sortierung</label> <select id="sortierung">' +
    '<option value="">nach Relevanz</option><option value="datum">Neueste zuerst</option></select>';
  container.parentNode.insertBefore(order, container);
  var select = order.querySelector("select");
  select.value = params.get("sortierung") === "datum" ? "datum" : "";
  select.addEventListener("change", function () {
    var next = new URLSearchParams(searchFragment());
    if (select.value) { next.set("sortierung", select.value); } else { next.delete("sortierung"); }
    window.location.hash = next.toString();  // hashchange: reload
  });

  // Pagefind's input has only a title; give it a real label for screen readers (WCAG 1.3.1, 4.1.2).
  function labelInput() {
    var input = container.querySelector("input[type=text], input[type=search], .pagefind-ui__search-input");
    if (input && !input.id) {
      input.id = "suchbegriff";
      var label = document.getElementById("suchbegriff-label");
      if (label) { label.setAttribute("for", "suchbegriff"); }
    }
    return !!input;
  }
  if (!labelInput()) {
    new MutationObserver(function (changes, observer) {
      if (labelInput()) { observer.disconnect(); }
    }).observe(container, { childList: true, subtree: true });
  }

  // Filters from the address: every parameter but q and sortierung names a filter.
  var filters = {};
  params.forEach(function (value, key) {
    if (key !== "q" && key !== "sortierung") { (filters[asHtml(key)] = filters[asHtml(key)] || []).push(asHtml(value)); }
  });
  if (Object.keys(filters).length) { ui.triggerFilters(filters); }
  if (params.get("q")) { ui.triggerSearch(params.get("q")); }

  // Write the current query and ticked filters back into the fragment (replaceState: no hashchange).
  function remember() {
    var next = new URLSearchParams();
    if (params.get("sortierung")) { next.set("sortierung", params.get("sortierung")); }
    var input = container.querySelector(".pagefind-ui__search-input");
    if (input && input.value.trim()) { next.set("q", input.value.trim()); }
    container.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      next.append(asText(box.name), asText(box.__value !== undefined ? box.__value : box.value));
    });
    var query = next.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "#" + query : ""));
  }
  container.addEventListener("change", remember);
  container.addEventListener("input", function () { window.clearTimeout(remember.timer); remember.timer = window.setTimeout(remember, 400); });
})();
