// Search page: Pagefind's UI from our own host; the query lives in the URL (?q=).
(function () {
  "use strict";
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#search",
    // Pagefind imports its modules from this path: it must be absolute, so the
    // relative path of this page is resolved here (works under any subpath).
    bundlePath: new URL(container.getAttribute("data-bundle"), document.baseURI).href,
    // Result URLs are stored from the site root; prefix them with where this site lives.
    baseUrl: new URL(container.getAttribute("data-root") || "./", document.baseURI).pathname,
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  // Pagefind's input has only a title; give it a real label for screen readers (WCAG 1.3.1, 4.1.2).
  var labelInput = function () {
    var input = container.querySelector("input[type=text], input[type=search], .pagefind-ui__search-input");
    if (input && !input.id) {
      input.id = "suchbegriff";
      var label = document.getElementById("suchbegriff-label");
      if (label) { label.setAttribute("for", "suchbegriff"); }
    }
    return !!input;
  };
  if (!labelInput()) {
    new MutationObserver(function (changes, observer) {
      if (labelInput()) { observer.disconnect(); }
    }).observe(container, { childList: true, subtree: true });
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
