// The search page's rules about text, without the page: what a typed reference number is,
// which words of a hit's text an excerpt shows, how the state is written into the address,
// and how near two words are. search.js builds the page from these; nothing here makes HTML.

// A reference number as people type it: VO/2026/0065, vo/2026/65, 2026/0065, DS 17/0815,
// AF/2025/0009-1, "Drucksache VO/2026/0065". An optional short prefix directly before the
// numbers (not the end of a longer word), then at least two numbers.
const REFERENCE = /(?:^|[^0-9A-Za-zÄÖÜäöüß])([A-Za-zÄÖÜäöü]{1,6})?[\s/.\-]*(\d{1,6}(?:\s*[/.\-]\s*\d{1,6})+)(?![0-9A-Za-zÄÖÜäöüß])/;

function joinedNumbers(text) {
  return text.match(/\d+/g).map((n) => String(parseInt(n, 10))).join("Z");
}

// What to search for, in order, until one finds something: the word the paper pages carry
// with the prefix (VO2026Z65X), without it (2026Z65X), then the term as typed. The same rule
// as Paper.reference_tokens in plugins/council/graph.py.
export function searchTerms(term) {
  const typed = String(term || "").trim();
  const match = REFERENCE.exec(typed);
  if (!match) { return typed ? [typed] : []; }
  const numbers = joinedNumbers(match[2]);
  const prefix = (match[1] || "").toUpperCase();
  return [...new Set([prefix ? prefix + numbers + "X" : null, numbers + "X", typed].filter(Boolean))];
}

function bare(word) {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").toLowerCase();
}

// The excerpt of a hit as [{text, mark}], from the page's indexed text (`content`, split at
// white space as Pagefind counts `locations`), about `length` words around most of the
// matches. Words in `hidden` (the reference tokens, meta "suchwoerter") are never shown.
export function excerptParts(content, locations, hidden, length = 30) {
  const words = String(content || "").split(/\s+/);
  const unseen = new Set(String(hidden || "").split(/\s+/).filter(Boolean).map(bare));
  const shown = words.map((w) => !unseen.has(bare(w)));
  const marks = new Set((locations || []).filter((l) => l >= 0 && l < words.length && shown[l]));
  let start = 0;
  let best = -1;
  for (const location of marks) {
    const from = Math.max(0, location - Math.floor(length / 3));
    let count = 0;
    for (const other of marks) { if (other >= from && other < from + length) { count += 1; } }
    if (count > best) { best = count; start = from; }
  }
  const end = Math.min(words.length, start + length);
  const parts = [];
  const add = (text, mark) => {
    const last = parts[parts.length - 1];
    if (last && last.mark === mark && !mark) { last.text += text; } else { parts.push({ text, mark }); }
  };
  if (start > 0) { add("… ", false); }
  let first = true;
  for (let i = start; i < end; i += 1) {
    if (!shown[i] || !words[i]) { continue; }
    if (!first) { add(" ", false); }
    add(words[i], marks.has(i));
    first = false;
  }
  if (end < words.length) { add(" …", false); }
  return parts;
}

// The state of a search: {q, sort, filters: {name: [value, …]}}, read from the address's
// fragment (#q=…&Gremium=…&sortierung=datum) or, from old bookmarks, its query string.
export function readState(params) {
  const state = { q: "", sort: "", filters: {} };
  params.forEach((value, key) => {
    if (key === "q") { state.q = value; } else if (key === "sortierung") { state.sort = value === "datum" ? "datum" : ""; } else if (key) {
      (state.filters[key] = state.filters[key] || []).push(value);
    }
  });
  return state;
}

export function writeState(state) {
  const params = new URLSearchParams();
  if (state.q && state.q.trim()) { params.set("q", state.q.trim()); }
  for (const [name, values] of Object.entries(state.filters || {})) {
    for (const value of values) { params.append(name, value); }
  }
  if (state.sort) { params.set("sortierung", state.sort); }
  return params.toString();
}

// Edits from one word to another; swapping two neighbouring letters counts as one.
export function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) { d[0][j] = j; }
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); }
    }
  }
  return d[a.length][b.length];
}

export function wordsOf(text) {
  return String(text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// How near a typed word is to a name (a committee, a paper type): 0 when a word of the name
// starts with it, else the smallest edit distance to one of its words; Infinity if too far.
export function nearness(word, name) {
  let best = Infinity;
  for (const part of wordsOf(name)) {
    if (part.length >= 4 && word.length >= 4 && (part.startsWith(word) || word.startsWith(part))) { return 0; }
    const d = distance(word, part);
    if (d <= (word.length > 7 ? 2 : 1)) { best = Math.min(best, d); }
  }
  return best;
}
