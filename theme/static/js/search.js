// The search page: our own result list on Pagefind's JS API (pagefind.js), no framework.
//
// The term, the filters and the order live in the address's fragment (#q=…&Gremium=…), so a
// search can be shared and bookmarked, and the browser never sends the term to the server: no
// web server log holds what a visitor searched for (content/pages/datenschutz.md says so).
// Addresses with ?q=… (bookmarks from before) are read once and rewritten.
//
// Everything from the index is source text and stays text: the page is built from DOM nodes
// with textContent, never from HTML strings. Excerpts are cut from the hit's indexed text here
// (search-text.js), without the hidden reference words, and the <mark>s are our own elements.
import { distance, excerptParts, nearness, readState, searchTerms, wordsOf, writeState } from "./search-text.js";

// Hits shown first (each loads its fragment: as many requests as PagefindUI made), then per click.
const FIRST = 5;
const PAGE = 10;
// The order of the filter groups; other groups follow by name. Names are the index's own.
const GROUPS = ["Art", "Gremium", "Jahr", "Vorlagenart", "Ergebnis"];
// Groups a term with no hits is compared against ("nächstes Gremium, nächste Vorlagenart").
const NEAR_GROUPS = ["Gremium", "Vorlagenart"];

const root = document.getElementById("search");
if (root) { start(root); }

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "className") { node.className = value; } else { node.setAttribute(name, value); }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== "") {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

function quoted(text) {
  return `„${text}“`;
}

function hits(count) {
  return count === 1 ? "1 Treffer" : `${count.toLocaleString("de-DE")} Treffer`;
}

async function start(container) {
  const form = container.querySelector("form");
  const input = container.querySelector("#suchbegriff");
  const order = container.querySelector("#sortierung");
  const panel = container.querySelector("#suchfilter");
  const toggle = container.querySelector(".filter-toggle");
  const status = container.querySelector("#suchstatus");
  const suggestions = container.querySelector(".search-suggestions");
  const list = container.querySelector(".hits");
  const more = container.querySelector(".more");
  // aria-busy: the hits are being replaced (also what the browser tests wait for).
  const results = container.querySelector(".search-results");
  container.hidden = false;

  // Where this site lives (any subpath): result addresses are stored from the site root.
  const siteRoot = new URL(container.getAttribute("data-root") || "./", document.baseURI);
  const bundle = new URL(container.getAttribute("data-bundle"), document.baseURI).href;
  // A big city's index is split into bundles (plugins/council/shards.py), merged here into
  // one search; the same works for the indexes of several sites.
  const bundles = (container.getAttribute("data-bundles") || "").split(" ").filter(Boolean)
    .map((name) => new URL(name + "/", bundle).href);

  // Old bookmarks: the term was in the query string; it moves into the fragment.
  const fragment = () => (location.hash.includes("=") ? location.hash.slice(1) : "");
  if (!fragment() && location.search) {
    const moved = writeState(readState(new URLSearchParams(location.search)));
    history.replaceState(null, "", location.pathname + (moved ? "#" + moved : ""));
  }
  let state = readState(new URLSearchParams(fragment()));

  let pagefind;
  const stale = new Map();  // Pagefind id of a bundle's out-of-date entry → its filter values
  try {
    const primary = bundles.length ? bundles[0] : bundle;
    pagefind = await import(primary + "pagefind.js");
    await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 30 });
    await pagefind.init();
    for (const path of bundles.slice(1)) { await pagefind.mergeIndex(path); }
    await mergeDelta();
  } catch (error) {
    status.textContent = "Der Suchindex konnte nicht geladen werden. Von einer Datei (file://) aus funktioniert die Suche nicht, nur über einen Webserver.";
    results.setAttribute("aria-busy", "false");
    return;
  }
  const allFilters = subtract(await pagefind.filters(), [...stale.values()]);

  // The delta (plugins/search/delta.py): the pages changed since the bundles were last indexed,
  // in a bundle of their own, and the ids of the bundles' entries it replaces. Without one (the
  // list says null, or an older site has no list) the search is the bundles' alone.
  async function mergeDelta() {
    const base = new URL("_delta/", bundle).href;
    const response = await fetch(base + "stale.json", { cache: "no-cache" }).catch(() => null);
    if (!response || !response.ok) { return; }
    const listed = (await response.json()).stale;
    if (!listed) { return; }
    await pagefind.mergeIndex(base);
    for (const [id, filters] of Object.entries(listed)) { stale.set(id, filters); }
  }

  // Filter counts without the given entries' values (each entry: {name: [values]}).
  function subtract(counts, entries) {
    const result = {};
    for (const [name, values] of Object.entries(counts || {})) { result[name] = { ...values }; }
    for (const filters of entries) {
      for (const [name, values] of Object.entries(filters || {})) {
        for (const value of values) {
          if (result[name] && result[name][value] !== undefined) { result[name][value] = Math.max(0, result[name][value] - 1); }
        }
      }
    }
    return result;
  }

  // A search over bundles and delta: a stale entry is left out once (an unchanged duplicate in
  // the delta stays), with its filter values.
  async function find(term, options) {
    const answer = await pagefind.search(term, options);
    if (!answer || !stale.size) { return answer; }
    const dropped = new Set();
    const results = answer.results.filter((result) => {
      if (!stale.has(result.id) || dropped.has(result.id)) { return true; }
      dropped.add(result.id);
      return false;
    });
    return { ...answer, results, filters: subtract(answer.filters, [...dropped].map((id) => stale.get(id))) };
  }

  // Filters: one group per name, one box per value. Built once; a search updates the counts.
  const boxes = new Map();  // name → Map(value → {box, item, count})
  const names = Object.keys(allFilters).sort((a, b) => {
    const ia = GROUPS.indexOf(a) < 0 ? GROUPS.length : GROUPS.indexOf(a);
    const ib = GROUPS.indexOf(b) < 0 ? GROUPS.length : GROUPS.indexOf(b);
    return ia - ib || a.localeCompare(b, "de");
  });
  let boxNumber = 0;
  for (const name of names) {
    // Values only stale entries had (plugins/search/delta.py) are not offered.
    const values = Object.keys(allFilters[name]).filter((value) => allFilters[name][value] > 0).sort((a, b) => (name === "Jahr" ? b.localeCompare(a) : a.localeCompare(b, "de")));
    if (!values.length) { continue; }
    const group = element("fieldset", { className: "filter-group" }, element("legend", {}, name));
    const items = element("ul", {});
    const byValue = new Map();
    for (const value of values) {
      boxNumber += 1;
      const id = `filter-${boxNumber}`;
      const box = element("input", { type: "checkbox", id });
      box.value = value;
      box.dataset.filter = name;
      const count = element("span", { className: "filter-hits" });
      const item = element("li", {}, box, " ", element("label", { for: id }, value, " ", count));
      items.append(item);
      byValue.set(value, { box, item, count });
    }
    group.append(items);
    panel.append(group);
    boxes.set(name, byValue);
  }
  const reset = element("button", { type: "button", className: "filter-reset", hidden: "" }, "Alle Filter aufheben");
  panel.append(reset);

  function chosenFilters() {
    const chosen = {};
    for (const [name, byValue] of boxes) {
      const values = [...byValue.values()].filter((v) => v.box.checked).map((v) => v.box.value);
      if (values.length) { chosen[name] = values; }
    }
    return chosen;
  }

  function activeCount(filters) {
    return Object.values(filters).reduce((sum, values) => sum + values.length, 0);
  }

  // The controls show `state` (from the address, a suggestion, back and forward).
  function showState() {
    input.value = state.q;
    // The options name their order in data-sort (their value would be visible text to translate).
    order.selectedIndex = Math.max(0, [...order.options].findIndex((o) => o.dataset.sort === state.sort));
    for (const [name, byValue] of boxes) {
      for (const [value, { box }] of byValue) { box.checked = (state.filters[name] || []).includes(value); }
    }
  }

  // The state from the controls, written into the fragment without a new history entry.
  function takeState() {
    state = { q: input.value, sort: order.selectedOptions[0].dataset.sort, filters: chosenFilters() };
    const written = writeState(state);
    history.replaceState(null, "", location.pathname + (written ? "#" + written : ""));
  }

  function showCounts(counts, searching) {
    for (const [name, byValue] of boxes) {
      for (const [value, { box, item, count }] of byValue) {
        const n = ((counts || {})[name] || {})[value] || 0;
        count.textContent = `(${n})`;
        // During a search, values without a hit step aside unless chosen.
        item.hidden = searching && n === 0 && !box.checked;
      }
    }
    const active = activeCount(chosenFilters());
    toggle.querySelector(".filter-count").textContent = active ? `(${active} aktiv)` : "";
    reset.hidden = active === 0;
  }

  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { panel.removeAttribute("data-collapsed"); } else { panel.setAttribute("data-collapsed", ""); }
  });

  // Searching. A newer search makes an older one's answer stale.
  let generation = 0;
  let found = [];
  let shown = 0;

  async function runSearch(term, filters) {
    const options = { filters: {} };
    for (const [name, values] of Object.entries(filters)) { options.filters[name] = { any: values }; }
    if (state.sort === "datum") { options.sort = { datum: "desc" }; }
    const terms = term ? searchTerms(term) : [null];
    let answer = null;
    for (const each of terms) {
      answer = await find(each, options);
      if (answer && answer.results.length) { break; }
    }
    return answer;
  }

  async function search(focus) {
    const mine = ++generation;
    results.setAttribute("aria-busy", "true");
    await answerSearch(mine, focus);
    if (mine === generation) { results.setAttribute("aria-busy", "false"); }
  }

  async function answerSearch(mine, focus) {
    const term = state.q.trim();
    const filters = state.filters;
    suggestions.replaceChildren();
    if (!term && !activeCount(filters)) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      showCounts(allFilters, false);
      return;
    }
    const answer = await runSearch(term, filters);
    if (mine !== generation || !answer) { return; }
    found = answer.results;
    shown = 0;
    list.replaceChildren();
    showCounts(answer.filters, true);
    const active = activeCount(filters);
    const what = term ? ` für ${quoted(term)}` : "";
    const narrowed = (active ? (active === 1 ? " (1 Filter aktiv)" : ` (${active} Filter aktiv)`) : "") +
      (state.sort === "datum" ? ", neueste zuerst" : "");
    if (!found.length) {
      status.textContent = `Keine Treffer${what}${narrowed}.`;
      more.hidden = true;
      await suggest(term, filters, answer, mine);
    } else {
      status.textContent = `${hits(found.length)}${what}${narrowed}.`;
      await showMore(false, mine, FIRST);
    }
    if (focus && mine === generation) { status.focus(); }
  }

  async function showMore(focusFirst, mine, count = PAGE) {
    const next = found.slice(shown, shown + count);
    const data = await Promise.all(next.map((result) => result.data()));
    if (mine !== generation) { return; }
    const cards = data.map((hit, i) => card(hit, next[i]));
    list.append(...cards);
    shown += next.length;
    more.hidden = shown >= found.length;
    if (focusFirst && cards.length) { cards[0].querySelector("a").focus(); }
  }

  // An address from the index or its metadata, only if it leads into this site.
  function ownAddress(url, base) {
    try {
      const target = new URL(url, base);
      return target.origin === location.origin && target.pathname.startsWith(siteRoot.pathname) ? target.pathname + target.hash : null;
    } catch (error) {
      return null;
    }
  }

  // A result card says what the hit is: its kind, type and number; date, committees, result,
  // faction, the paper a document belongs to; then the excerpt.
  function card(hit, result) {
    const meta = hit.meta || {};
    const filters = hit.filters || {};
    const first = (name) => (filters[name] || [])[0];
    const kind = [first("Art"), first("Vorlagenart"), meta.nummer].filter(Boolean).join(" · ");
    const title = meta.title || hit.url;
    const address = ownAddress(hit.url, location.href);
    const heading = element("h3", {}, address ? element("a", { href: address }, title) : title);
    const facts = [];
    if (meta.datum) { facts.push(meta.datum); }
    const committees = filters.Gremium || [];
    if (committees.length) {
      facts.push(committees.slice(0, 3).join(", ") + (committees.length > 3 ? ` und ${committees.length - 3} weitere` : ""));
    }
    if (first("Ergebnis")) { facts.push(`Ergebnis: ${first("Ergebnis")}`); }
    if (meta.fraktion) { facts.push(`Fraktion: ${meta.fraktion}`); }
    const factLine = element("p", { className: "hit-facts" });
    facts.forEach((fact, i) => { factLine.append((i ? " · " : ""), fact); });
    for (const [label, name] of [["zur Vorlage", "vorlage"], ["zur Sitzung", "sitzung"]]) {
      if (!meta[name]) { continue; }
      const target = meta[name + "_url"] ? ownAddress(meta[name + "_url"], siteRoot) : null;
      factLine.append(factLine.childNodes.length ? " · " : "", label + " ",
        target ? element("a", { href: target }, meta[name]) : meta[name]);
    }
    const excerpt = element("p", { className: "hit-excerpt" });
    for (const part of excerptParts(hit.content, hit.locations || result.words, meta.suchwoerter)) {
      excerpt.append(part.mark ? element("mark", {}, part.text) : part.text);
    }
    return element("li", { className: "hit" }, element("p", { className: "kind" }, kind), heading,
      factLine.childNodes.length ? factLine : null, excerpt.childNodes.length ? excerpt : null);
  }

  // No hits: the same term without filters, a committee or paper type near the term, and
  // "Meinten Sie …" from words the index holds.
  async function suggest(term, filters, answer, mine) {
    const offers = [];
    const link = (next, text) => element("a", { href: "#" + writeState({ sort: state.sort, ...next }) }, text);
    if (term && activeCount(filters)) {
      const free = await runSearch(term, {});
      if (mine !== generation) { return; }
      if (free && free.results.length) {
        offers.push(link({ q: term, filters: {} }, `${hits(free.results.length)} für ${quoted(term)} ohne Filter`));
      }
    }
    const typed = wordsOf(term).filter((w) => w.length >= 4);
    const near = [];
    for (const name of NEAR_GROUPS) {
      for (const value of Object.keys(allFilters[name] || {})) {
        const score = Math.min(...typed.map((w) => nearness(w, value)));
        if (score < Infinity) { near.push({ name, value, score }); }
      }
    }
    near.sort((a, b) => a.score - b.score || a.value.localeCompare(b.value, "de"));
    for (const { name, value } of near.slice(0, 3)) {
      offers.push(link({ q: "", filters: { [name]: [value] } },
        `Alles ${name === "Gremium" ? "aus dem Gremium" : "der Vorlagenart"} ${quoted(value)}`));
    }
    const corrected = await correction(term, mine);
    if (mine !== generation) { return; }
    if (corrected) { offers.unshift(link({ q: corrected, filters }, `Meinten Sie ${quoted(corrected)}?`)); }
    if (!offers.length) {
      suggestions.append(element("p", {}, "Tipp: weniger oder andere Wörter versuchen, Filter aufheben oder eine Vorlagennummer wie VO/2025/0012 eingeben."));
      return;
    }
    suggestions.append(element("p", {}, "Vorschläge:"),
      element("ul", { className: "list" }, ...offers.map((offer) => element("li", {}, offer))));
  }

  // Each typed word the index does not know is replaced by the nearest word that starts like
  // it in the hits for a shorter beginning (Pagefind finds words by their beginning), the
  // longest beginning that offers one first.
  async function correction(term, mine) {
    const typed = wordsOf(term);
    if (!typed.length || typed.length > 4) { return null; }
    let changed = false;
    const words = [];
    for (const word of typed) {
      let replacement = word;
      const alone = word.length >= 4 ? await find(word) : null;
      if (mine !== generation) { return null; }
      if (alone && !alone.results.length) {
        for (let cut = word.length - 1; cut >= 3 && replacement === word; cut -= 1) {
          const prefix = word.slice(0, cut);
          const some = await find(prefix);
          if (mine !== generation) { return null; }
          if (!some || !some.results.length) { continue; }
          const texts = await Promise.all(some.results.slice(0, 8).map((r) => r.data()));
          let best = null;
          for (const text of texts) {
            for (const known of wordsOf(text.content)) {
              if (!known.startsWith(prefix)) { continue; }
              const d = distance(word, known);
              if (d <= Math.max(1, Math.floor(word.length / 3)) && (!best || d < best.d || (d === best.d && known.length < best.known.length))) {
                best = { known, d };
              }
            }
          }
          if (best) { replacement = best.known; changed = true; }
        }
      }
      words.push(replacement);
    }
    if (!changed) { return null; }
    const proposal = words.join(" ");
    const check = await find(proposal);
    return check && check.results.length ? proposal : null;
  }

  // Events: typing searches after a pause; Enter, filters, order and the address at once.
  let pause = null;
  input.addEventListener("input", () => {
    window.clearTimeout(pause);
    pause = window.setTimeout(() => { takeState(); search(false); }, 300);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(pause);
    takeState();
    search(true);
  });
  panel.addEventListener("change", () => { takeState(); search(false); });
  reset.addEventListener("click", () => {
    for (const byValue of boxes.values()) { for (const { box } of byValue.values()) { box.checked = false; } }
    takeState();
    search(false);
    input.focus();
  });
  more.addEventListener("click", () => showMore(true, generation));
  window.addEventListener("hashchange", () => {
    if (location.hash && !fragment()) { return; }  // an anchor (#inhalt), not a search
    state = readState(new URLSearchParams(fragment()));
    showState();
    search(true);
  });

  showState();
  showCounts(allFilters, false);
  if (state.q || activeCount(state.filters)) { search(false); } else { results.setAttribute("aria-busy", "false"); }
}
