// article-enricher review page: renders enriched articles (entities, dates, quotes and
// meetings marked in their text) and wires the form of the live page. Article data only ever
// reaches the page through textContent and data attributes, never as markup.
"use strict";
(() => {
  const TITLE_FIELDS = ["title", "headline"];
  const TEXT_FIELDS = ["body", "text", "content", "maintext", "article"];
  const CONVERTED = "enrichment.text";
  const TYPES = ["person", "organization", "location", "misc"];
  const CAMEO = {
    "040": "consult", "041": "discuss by telephone", "042": "make a visit",
    "043": "host a visit", "044": "meet at a third location", "045": "mediate",
    "046": "engage in negotiation",
  };
  // Layers, outermost first: where two spans cross, the outer one stays whole and the inner
  // one is cut in pieces (the pieces after the first get the class "<name>-cont").
  const RANK = { quote: 0, evidence: 1, trigger: 2, "meeting-ref": 2, date: 3, mention: 4 };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  const dash = (v) => (v == null || v === "" ? "—" : String(v));
  const list = (xs) => (Array.isArray(xs) && xs.length ? xs.join(", ") : "—");

  function entityTip(ent) {
    const type = ent.subtype ? `${ent.type}/${ent.subtype}` : ent.type;
    return [`${ent.name} (${ent.id}, ${type})`, `key: ${dash(ent.key)}`, `roles: ${list(ent.roles)}`,
      `country: ${dash(ent.country)}`, `salience: ${dash(ent.salience)}`].join("\n");
  }

  // The texts to show, by field name: the title, the text and the text converted from HTML,
  // then any other field a span names.
  function fieldTexts(article) {
    const enr = article.enrichment || {};
    const fields = new Map();
    const title = TITLE_FIELDS.find((f) => typeof article[f] === "string");
    const body = TEXT_FIELDS.find((f) => typeof article[f] === "string");
    if (title) fields.set(title, article[title]);
    if (body) fields.set(body, article[body]);
    if (typeof enr.text === "string") fields.set(CONVERTED, enr.text);
    return fields;
  }
  function resolveField(fields, article, field) {
    if (fields.has(field)) return field;
    if (field === "text" && fields.has(CONVERTED)) return CONVERTED;
    if (typeof field === "string" && typeof article[field] === "string") {
      fields.set(field, article[field]);
      return field;
    }
    return null;
  }

  function collectSpans(enr) {
    const out = [];
    const add = (cls, span, extra) => {
      if (span && Number.isInteger(span.start) && Number.isInteger(span.end)) out.push({ cls, span, ...extra });
    };
    for (const ent of enr.entities || []) for (const m of ent.mentions || []) add("mention", m, { entity: ent });
    for (const d of enr.dates || []) add("date", d);
    for (const q of enr.quotes || []) add("quote", q);
    (enr.meetings || []).forEach((mt, i) => {
      add("evidence", mt.evidence, { meeting: i });
      add("trigger", mt.trigger, { meeting: i });
      for (const r of mt.mentions || []) add("meeting-ref", r, { meeting: i });
    });
    out.forEach((s, i) => { s.seq = i; s.start = s.span.start; s.end = s.span.end; });
    return out;
  }

  function markElement(s, first) {
    const sp = s.span;
    const e = el("span", first ? s.cls : `${s.cls}-cont`);
    if (s.cls === "mention") {
      e.dataset.entity = s.entity.id;
      e.dataset.type = s.entity.type;
      e.dataset.kind = sp.kind || "";
      e.title = `${entityTip(s.entity)}\nmention: ${dash(sp.kind)}`;
    } else if (s.cls === "date") {
      e.dataset.value = sp.value ?? "";
      e.dataset.kind = sp.kind || "date";
      e.title = `${sp.kind || "date"}: ${sp.value ?? "no calendar value"}` +
        (sp.granularity ? ` (${sp.granularity})` : "");
    } else if (s.cls === "quote") {
      const name = (sp.speaker && sp.speaker.name) || "";
      e.dataset.kind = sp.kind || "";
      e.dataset.speaker = name;
      if (sp.partial || sp.kind === "partial") e.classList.add("partial");
      const by = sp.speaker ? `${name || "unknown"}${sp.speaker.mention ? ` (as “${sp.speaker.mention}”)` : ""}` : "unknown";
      e.title = [`${sp.partial ? "partial " : ""}${sp.kind} quote`, `speaker: ${by}`,
        `cue: ${dash(sp.cue)}`, sp.via ? `via: ${sp.via}` : null].filter(Boolean).join("\n");
      if (first) e.append(el("span", "speaker", name || "unknown"));
    } else {
      e.dataset.meeting = String(s.meeting);
      if (s.cls !== "evidence") e.title = `meeting ${s.meeting + 1}`;
    }
    return e;
  }

  // Cuts the text at every span boundary; each piece is covered by a set of spans, ordered
  // outermost first, and runs of pieces under the same span become one element.
  function renderText(container, text, specs, problems) {
    const chars = Array.from(text); // code points, so astral characters count once
    const valid = specs.filter((s) => {
      if (s.start < 0 || s.end > chars.length || s.start >= s.end) {
        problems.push(`${s.cls} [${s.start}, ${s.end}) in ${s.span.field} is out of range`);
        return false;
      }
      const got = chars.slice(s.start, s.end).join("");
      if (typeof s.span.text === "string" && got !== s.span.text) {
        problems.push(`${s.cls} [${s.start}, ${s.end}) in ${s.span.field}: text “${s.span.text}” but the offsets hold “${got}”`);
      }
      return true;
    });
    const order = (a, b) => RANK[a.cls] - RANK[b.cls] || a.start - b.start || b.end - a.end || a.seq - b.seq;
    const cuts = [...new Set([0, chars.length, ...valid.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
    const pieces = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      pieces.push({ a, b, cover: valid.filter((s) => s.start <= a && s.end >= b).sort(order) });
    }
    const build = (parent, lo, hi, depth) => {
      for (let i = lo; i < hi;) {
        const s = pieces[i].cover[depth];
        if (!s) {
          parent.append(chars.slice(pieces[i].a, pieces[i].b).join(""));
          i++;
          continue;
        }
        let j = i + 1;
        while (j < hi && pieces[j].cover[depth] === s) j++;
        const e = markElement(s, pieces[i].a === s.start);
        build(e, i, j, depth + 1);
        parent.append(e);
        i = j;
      }
    };
    build(container, 0, pieces.length, 0);
  }

  function legend() {
    const box = el("div", "legend");
    for (const t of TYPES) {
      const item = el("span", "legend-item");
      const sw = el("span", "swatch");
      sw.dataset.type = t;
      item.append(sw, t);
      box.append(item);
    }
    const sample = (cls, label) => box.append(el("span", `legend-item ${cls}`, label));
    sample("lg-date", "date");
    sample("lg-quote direct", "direct quote");
    sample("lg-quote indirect", "reported speech");
    sample("lg-quote partial", "partial quote");
    box.append(el("span", "legend-note", "Dashed: nominal mention, dotted: pronoun. Click a name to light all its mentions; hover or click a meeting to light its sentence."));
    return box;
  }

  function entityTable(entities) {
    const table = el("table", "entities");
    const head = el("tr");
    for (const h of ["entity", "type", "roles", "country", "mentions"]) head.append(el("th", null, h));
    table.append(el("thead"), el("tbody"));
    table.tHead.append(head);
    for (const ent of entities) {
      const row = el("tr", "entity-row");
      row.dataset.ref = ent.id;
      row.dataset.type = ent.type;
      row.title = entityTip(ent);
      const name = el("td");
      name.append(el("span", "swatch"), ent.name);
      name.firstChild.dataset.type = ent.type;
      row.append(name, el("td", null, ent.subtype ? `${ent.type} (${ent.subtype})` : ent.type),
        el("td", null, list(ent.roles)), el("td", null, dash(ent.country)),
        el("td", "num", (ent.mentions || []).length));
      table.tBodies[0].append(row);
    }
    return table;
  }

  function meetingCard(mt, i) {
    const card = el("div", "meeting-card");
    card.dataset.index = String(i);
    card.dataset.status = mt.status || "";
    card.tabIndex = 0;
    const head = el("div", "meeting-head");
    head.append(el("strong", null, `Meeting ${i + 1}`), el("span", `status status-${mt.status}`, dash(mt.status)));
    const dl = el("dl");
    const row = (label, ...content) => {
      const dd = el("dd");
      dd.append(...content);
      dl.append(el("dt", null, label), dd);
    };
    const people = (mt.participants || []).map((p) => el("span", "meeting-participant", p.name));
    row("who", ...(people.length ? people : ["—"]));
    if (mt.location) {
      row("where", el("span", "meeting-place", mt.location.name),
        el("span", "meeting-country", mt.location.country ? ` (${mt.location.country})` : ""));
    } else row("where", el("span", "meeting-place", "—"));
    const d = mt.date;
    row("when", el("span", "meeting-date", d ? (d.value ?? d.text) : "—"));
    row("CAMEO", mt.cameo ? `${mt.cameo} ${CAMEO[mt.cameo] || ""}` : "—");
    row("occasion", dash(mt.occasion));
    row("topics", list(mt.topics));
    const refs = (mt.mentions || []).length;
    row("reported", `“${mt.trigger ? mt.trigger.text : "?"}”${refs ? `, then ${refs} more mention${refs > 1 ? "s" : ""}` : ""}`);
    card.append(head, dl);
    return card;
  }

  function clearLit(root) {
    root.querySelectorAll(".lit").forEach((e) => e.classList.remove("lit"));
    root.querySelectorAll(".meeting-card.pinned").forEach((e) => e.classList.remove("pinned"));
    root.querySelectorAll(".article[data-lit]").forEach((e) => delete e.dataset.lit);
  }
  function lightMeeting(section, card, on) {
    const spans = section.querySelectorAll(`.text [data-meeting="${card.dataset.index}"]`);
    spans.forEach((e) => e.classList.toggle("lit", on));
    card.classList.toggle("lit", on);
    return spans;
  }

  function wireSection(section) {
    section.addEventListener("click", (ev) => {
      const card = ev.target.closest(".meeting-card");
      if (card) {
        if (card.classList.contains("pinned")) return card.classList.remove("pinned");
        clearLit(document);
        card.classList.add("pinned");
        const spans = lightMeeting(section, card, true);
        const ev0 = [...spans].find((e) => e.classList.contains("evidence"));
        if (ev0) ev0.scrollIntoView({ block: "nearest", behavior: "smooth" });
        return;
      }
      const hit = ev.target.closest("[data-entity], [data-ref]");
      if (!hit) return;
      const id = hit.dataset.entity || hit.dataset.ref;
      const again = section.dataset.lit === id;
      clearLit(document);
      if (again) return;
      section.dataset.lit = id;
      const q = CSS.escape(id);
      section.querySelectorAll(`[data-entity="${q}"], [data-ref="${q}"]`).forEach((e) => e.classList.add("lit"));
    });
    for (const card of section.querySelectorAll(".meeting-card")) {
      const on = () => lightMeeting(section, card, true);
      const off = () => { if (!card.classList.contains("pinned")) lightMeeting(section, card, false); };
      card.addEventListener("mouseenter", on);
      card.addEventListener("mouseleave", off);
      card.addEventListener("focus", on);
      card.addEventListener("blur", off);
    }
  }

  function renderArticle(article) {
    const section = el("section", "article");
    if (!article || typeof article !== "object") {
      section.append(el("p", "warnings", "not an article object"));
      return section;
    }
    const enr = article.enrichment || {};
    if (enr.article_id) section.dataset.articleId = enr.article_id;
    const meta = el("p", "meta");
    const count = (k) => `${(enr[k] || []).length} ${k}`;
    meta.textContent = [enr.article_id || article.id, article.published_at, enr.language,
      enr.enricher ? `enricher ${enr.enricher.version} (${enr.enricher.model})` : null,
      ["entities", "dates", "quotes", "meetings"].map(count).join(" · ")].filter(Boolean).join(" · ");
    section.append(meta);

    const fields = fieldTexts(article);
    const byField = new Map();
    const problems = [];
    for (const s of collectSpans(enr)) {
      const f = resolveField(fields, article, s.span.field);
      if (f == null) { problems.push(`${s.cls} names field “${s.span.field}”, which has no text`); continue; }
      if (!byField.has(f)) byField.set(f, []);
      byField.get(f).push(s);
    }
    for (const [name, text] of fields) {
      const block = el("div", "field-block");
      block.dataset.field = name;
      block.append(el("div", "field-name", name === CONVERTED ? `${name} (converted from HTML)` : name));
      const body = el(TITLE_FIELDS.includes(name) ? "h2" : "div", "text");
      renderText(body, text, byField.get(name) || [], problems);
      block.append(body);
      section.append(block);
    }
    const warnings = [...(enr.warnings || []), ...problems.map((p) => `review page: ${p}`)];
    if (!article.enrichment) warnings.unshift("review page: this object has no enrichment");
    if (warnings.length) {
      const box = el("div", "warnings");
      box.append(el("strong", null, "Warnings"));
      const ul = el("ul");
      for (const w of warnings) ul.append(el("li", null, w));
      box.append(ul);
      section.append(box);
    }
    const meetings = enr.meetings || [];
    if (meetings.length) {
      const grid = el("div", "meetings");
      meetings.forEach((mt, i) => grid.append(meetingCard(mt, i)));
      section.append(el("h3", null, "Meetings"), grid);
    }
    section.append(legend());
    if ((enr.entities || []).length) section.append(el("h3", null, "Entities"), entityTable(enr.entities));
    wireSection(section);
    return section;
  }
  window.renderArticle = renderArticle;

  function showError(results, error, kind, message) {
    const box = error || results;
    box.replaceChildren(el("strong", "error-kind", kind), " ", el("span", "error-message", message));
    if (box !== results) results.replaceChildren();
    results.dataset.state = "error";
  }

  function wireForm(form, results, error) {
    const input = document.getElementById("article-input");
    const submit = document.getElementById("submit");
    const token = document.getElementById("token");
    const mode = document.getElementById("input-mode");
    const example = document.getElementById("example-article");
    const looksJson = (t) => /^\s*[{[]/.test(t);
    const showMode = () => {
      if (!mode) return;
      const t = input.value;
      mode.textContent = !t.trim() ? "" : looksJson(t) ? "Will be sent as JSON." : "Will be sent as plain text, as {\"body\": …}.";
    };
    input.addEventListener("input", showMode);
    const load = document.getElementById("load-example");
    if (load) load.addEventListener("click", () => {
      let t = example ? example.textContent : "";
      try { t = JSON.stringify(JSON.parse(t), null, 2); } catch { /* shown as it is */ }
      input.value = t.trim();
      showMode();
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = input.value;
      if (!text.trim()) return showError(results, error, "input", "paste an article first: a JSON object or plain text");
      const headers = { "Content-Type": "application/json" };
      if (token && token.value.trim()) headers.Authorization = `Bearer ${token.value.trim()}`;
      submit.disabled = true;
      results.dataset.state = "pending";
      if (error) error.replaceChildren();
      try {
        const res = await fetch("/v1/enrich", {
          method: "POST", headers, body: looksJson(text) ? text : JSON.stringify({ body: text }),
        });
        const raw = await res.text();
        let data;
        try { data = JSON.parse(raw); } catch { data = undefined; }
        if (!res.ok) {
          const e = (data && data.error) || {};
          return showError(results, error, e.kind || `HTTP ${res.status}`, e.message || raw.trim() || res.statusText);
        }
        if (data === undefined) return showError(results, error, "response", "the server's answer is not JSON");
        try {
          results.replaceChildren(...(Array.isArray(data) ? data : [data]).map(renderArticle));
        } catch (err) {
          return showError(results, error, "render", String(err));
        }
        results.dataset.state = "done";
      } catch (err) {
        showError(results, error, "network", err && err.message ? err.message : String(err));
      } finally {
        submit.disabled = false;
      }
    });
  }

  function init() {
    const results = document.getElementById("results");
    const error = document.getElementById("error");
    document.addEventListener("click", (ev) => {
      if (!ev.target.closest("[data-entity], [data-ref], .meeting-card")) clearLit(document);
    });
    const embedded = document.getElementById("articles");
    if (embedded && results) {
      try {
        const data = JSON.parse(embedded.textContent);
        results.replaceChildren(...(Array.isArray(data) ? data : [data]).map(renderArticle));
        results.dataset.state = "done";
      } catch (err) {
        showError(results, error, "report", String(err));
      }
    }
    const form = document.getElementById("enrich-form");
    if (form && results) wireForm(form, results, error);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
