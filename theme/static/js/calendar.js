// Month calendar narrowed to one committee; the choice lives in the URL (?gremium=ID)
// and travels along the month and year links; "abonnieren" then offers that committee's
// calendar (data-kalender, data-webcal of its option). Without JavaScript every committee shows.
(function () {
  "use strict";
  var select = document.getElementById("gremium");
  if (!select) { return; }
  select.parentNode.hidden = false;
  var params = new URLSearchParams(window.location.search);
  select.value = params.get("gremium") || "";

  function apply() {
    var chosen = select.value;
    document.querySelectorAll("[data-gremien]").forEach(function (element) {
      var ids = element.getAttribute("data-gremien").split(" ");
      element.hidden = Boolean(chosen) && ids.indexOf(chosen) < 0;
    });
    document.querySelectorAll("main nav a").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (!/\/kalender\/\d{4}-\d{2}\.html$/.test(url.pathname)) { return; }
      if (chosen) { url.searchParams.set("gremium", chosen); } else { url.searchParams.delete("gremium"); }
      link.setAttribute("href", url.pathname.split("/").pop() + url.search);
    });
    subscribe(select.options[select.selectedIndex]);
    var next = new URLSearchParams(window.location.search);
    if (chosen) { next.set("gremium", chosen); } else { next.delete("gremium"); }
    history.replaceState(null, "", next.toString() ? "?" + next.toString() : window.location.pathname);
  }
  var offer = document.getElementById("abonnieren");
  var allText = offer && offer.querySelector("a.ics").textContent;
  var webcalAll = offer && offer.querySelector("a.webcal") && offer.querySelector("a.webcal").getAttribute("href");

  // The committee's own calendar, or all meetings for a committee without one.
  function subscribe(option) {
    if (!offer) { return; }
    var own = option && option.value && option.getAttribute("data-kalender");
    var ics = offer.querySelector("a.ics");
    ics.setAttribute("href", own || offer.getAttribute("data-alle"));
    ics.textContent = own ? offer.getAttribute("data-gremium-text").replace("#", option.textContent) : allText;
    var webcal = offer.querySelector("a.webcal");
    if (webcal) {
      webcal.setAttribute("href", (own && option.getAttribute("data-webcal")) || webcalAll);
    }
  }
  select.addEventListener("change", apply);
  apply();
})();
