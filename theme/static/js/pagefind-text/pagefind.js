// Pagefind as the search page's UI sees it, with everything from the source made text.
//
// PagefindUI (1.x) puts filter names and values into the page with innerHTML, and
// committee names, paper types and results are filters: a paper type
// `<img src=x onerror=…>` would run on suche.html. The index keeps the source's
// text as it is; this module stands between the index and the UI, so every
// string the UI writes as HTML is HTML-escaped text, whichever template or
// filter it came from. The UI loads it as its "bundle" (search.js passes this
// folder as bundlePath and the real bundle as basePath).
//
// In the UI's world a filter name or value is escaped text (asHtml); towards the
// index it is the source's text again (asText). Titles and meta the UI shows as
// text already; excerpts keep only Pagefind's <mark>.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const UNESCAPES = Object.fromEntries(Object.entries(ESCAPES).map(([c, e]) => [e, c]));

export function asHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function asText(html) {
  return String(html).replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => UNESCAPES[e]);
}

let real = null;

function pagefind() {
  if (!real) { throw new Error("ratsinfo: Pagefind wurde noch nicht geladen (options zuerst)"); }
  return real;
}

// {name: {value: count}} from the index → the same with names and values escaped.
function filtersAsHtml(counts) {
  if (!counts) { return counts; }
  const shown = {};
  for (const [name, values] of Object.entries(counts)) {
    const escaped = {};
    for (const [value, count] of Object.entries(values || {})) { escaped[asHtml(value)] = count; }
    shown[asHtml(name)] = escaped;
  }
  return shown;
}

// {name: [value, …]} ticked in the UI → what the index holds.
function filtersAsText(selected) {
  if (!selected || typeof selected !== "object") { return selected; }
  const text = {};
  for (const [name, values] of Object.entries(selected)) {
    text[asText(name)] = Array.isArray(values) ? values.map(asText) : asText(values);
  }
  return text;
}

function searchOptions(options) {
  return options && options.filters ? { ...options, filters: filtersAsText(options.filters) } : options;
}

// Pagefind escapes < and > in excerpts and adds <mark>; any other tag is refused here.
function onlyMarks(excerpt) {
  return typeof excerpt === "string" ? excerpt.replace(/<(?!\/?mark>)/g, "&lt;") : excerpt;
}

async function textFragment(loading) {
  const fragment = await loading;
  const meta = { ...(fragment.meta || {}) };
  // The result link would follow meta.url and show meta.image: only our own pages' addresses count.
  delete meta.url;
  delete meta.image;
  delete meta.image_alt;
  return {
    ...fragment,
    meta,
    excerpt: onlyMarks(fragment.excerpt),
    sub_results: (fragment.sub_results || []).map((sub) => ({ ...sub, excerpt: onlyMarks(sub.excerpt) })),
  };
}

function textResults(found) {
  if (!found) { return found; }
  return {
    ...found,
    filters: filtersAsHtml(found.filters),
    totalFilters: filtersAsHtml(found.totalFilters),
    results: (found.results || []).map((result) => ({ ...result, data: () => textFragment(result.data()) })),
  };
}

export async function options(settings) {
  if (!real) {
    if (!settings || !settings.basePath) { throw new Error("ratsinfo: basePath des Suchindex fehlt"); }
    real = await import(`${settings.basePath}pagefind.js`);
  }
  return real.options(settings);
}

export async function init() { return pagefind().init(); }
export async function mergeIndex(path, settings) { return pagefind().mergeIndex(path, settings); }
export async function filters() { return filtersAsHtml(await pagefind().filters()); }
export async function search(term, settings) { return textResults(await pagefind().search(term, searchOptions(settings))); }
export async function debouncedSearch(term, settings, timeout) {
  return textResults(await pagefind().debouncedSearch(term, searchOptions(settings), timeout));
}
export async function preload(term, settings) { return pagefind().preload(term, searchOptions(settings)); }
export async function destroy() { return real ? real.destroy() : undefined; }
