// The search box on the home and 404 pages. The term travels in the fragment
// (suche.html#q=…), which the browser never sends: no web server log holds what a
// visitor searched for (content/pages/datenschutz.md says so). The input has no
// name, so without this script the form sends no term either; the search page
// then explains that searching needs JavaScript and links the lists.
(function () {
  document.querySelectorAll("form.search-box").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input");
      var term = input ? input.value.trim() : "";
      var target = new URL(form.getAttribute("action"), document.baseURI);
      target.hash = term ? new URLSearchParams({ q: term }).toString() : "";
      window.location.href = target.href;
    });
  });
})();
