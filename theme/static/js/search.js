// Search page: Pagefind's UI from our own host; the query lives in the URL (?q=).
(function () {
  "use strict";
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: container.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
