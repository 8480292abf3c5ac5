/* Review report: decisions kept in memory (and in localStorage, per report, so that every
   page of the report adds to one set), exported as decisions.json. Vanilla JS, no network. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var S = DATA.strings;
  var STORE = "anonymiser-review:" + DATA.report;
  var marks = {}, hints = {}, labels = {};
  DATA.marks.forEach(function (m) { marks[m.id] = m; });
  DATA.hints.forEach(function (h) { hints[h.id] = h; });
  DATA.labels.forEach(function (l) { labels[l.code] = l; });
  var decisions = load();
  var popup = document.getElementById("popup");
  var current = null, hideTimer = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(decisions)); } catch (e) { /* memory only */ }
    refresh();
  }
  function keyOf(d) { return [d.action === "mark" ? "mark" : "det", d.document, d.start, d.end].join("|"); }
  function decide(d) { decisions[keyOf(d)] = d; save(); }
  function undo(key) { delete decisions[key]; save(); }
  function fmt(forms, n) {  /* forms for 0, 1 and more, in the report's language */
    return forms[n === 0 ? 0 : n === 1 ? 1 : 2].replace("{n}", String(n));
  }
  function labelName(code) { return labels[code] ? labels[code].name : code; }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function describe(d) {
    var what = { accept: S.accepted, mark: S.marked + " " + labelName(d.label),
                 relabel: S.relabelled + " " + labelName(d.new_label),
                 reject: d.scope === "everywhere" ? S.rejectedEverywhere : S.rejectedHere }[d.action];
    return "«\u00a0" + d.form + "\u00a0» (" + d.document + "): " + what;
  }

  /* -- state shown in the page ------------------------------------------------------------ */
  function refresh() {
    var keys = Object.keys(decisions).sort();
    var count = document.getElementById("decision-count");
    if (count) { count.textContent = fmt(S.decisions, keys.length); }
    document.querySelectorAll("mark.m").forEach(function (node) {
      node.classList.remove("d-accept", "d-reject", "d-relabel");
    });
    document.querySelectorAll(".hint").forEach(function (node) { node.classList.remove("done"); });
    keys.forEach(function (key) {
      var d = decisions[key];
      if (d.action === "reject" && d.scope === "everywhere") {  /* the same form on every page */
        DATA.marks.forEach(function (m) {
          if (m.text.toLowerCase() === d.form.toLowerCase()) {
            document.querySelectorAll('[data-mark="' + m.id + '"]').forEach(function (n) { n.classList.add("d-reject"); });
          }
        });
      }
      if (d.document !== DATA.document) { return; }
      DATA.marks.forEach(function (m) {
        if (m.start === d.start && m.end === d.end && d.action !== "mark") {
          document.querySelectorAll('[data-mark="' + m.id + '"]').forEach(function (node) {
            node.classList.add("d-" + d.action);
          });
        }
      });
      DATA.hints.forEach(function (h) {
        if (h.start === d.start && h.end === d.end) {
          document.querySelectorAll('[data-hint="' + h.id + '"]').forEach(function (n) { n.classList.add("done"); });
        }
      });
    });
    var list = document.getElementById("decision-list");
    if (!list) { return; }
    list.textContent = "";
    keys.forEach(function (key) {
      var item = el("li", {}, describe(decisions[key]));
      var button = el("button", { type: "button" }, S.undo);
      button.addEventListener("click", function () { undo(key); });
      item.appendChild(button);
      list.appendChild(item);
    });
    var none = document.getElementById("no-decision");
    if (none) { none.hidden = keys.length > 0; }
  }

  /* -- popup -------------------------------------------------------------------------------- */
  function labelSelect(selected) {
    var select = el("select", { "aria-label": S.relabel });
    DATA.labels.forEach(function (l) {
      var option = el("option", { value: l.code }, l.short + " · " + l.name);
      if (l.code === selected) { option.selected = true; }
      select.appendChild(option);
    });
    return select;
  }
  function action(text, handler, shortcut) {
    var button = el("button", { type: "button" }, text);
    if (shortcut) { button.setAttribute("aria-keyshortcuts", shortcut); button.appendChild(el("kbd", {}, shortcut)); }
    button.addEventListener("click", function () { handler(); closePopup(true); });
    return button;
  }
  function place(target) {
    var rect = target.getBoundingClientRect();
    popup.style.left = Math.max(4, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - 420)) + "px";
    popup.style.top = (window.scrollY + rect.bottom + 6) + "px";
  }
  function occurrence(item, action, extra) {
    var d = { action: action, document: DATA.document, start: item.start, end: item.end, form: item.text,
              label: item.label || document.getElementById("mark-label").value };
    Object.keys(extra || {}).forEach(function (k) { d[k] = extra[k]; });
    return d;
  }
  function markPopup(m) {
    var dl = el("dl");
    [[S.recognizer, m.recognizer], [S.score, m.score.toFixed(2)],
     [S.entity, m.entity + " (" + (m.known ? S.known : S.provisional) + ", " + fmt(S.mentions, m.mentions) + ")"],
     [S.pseudonym, m.pseudonym]].forEach(function (row) {
      dl.appendChild(el("dt", {}, row[0])); dl.appendChild(el("dd", {}, row[1]));
    });
    popup.appendChild(el("h3", {}, labels[m.label].short + " · " + labels[m.label].name + " — «\u00a0" + m.text + "\u00a0»"));
    popup.appendChild(dl);
    var state = decisions[keyOf(occurrence(m, "accept"))];
    if (state) { popup.appendChild(el("p", { class: "state" }, describe(state))); }
    var actions = el("div", { class: "actions" });
    actions.appendChild(action(S.accept, function () { decide(occurrence(m, "accept")); }, "A"));
    actions.appendChild(action(S.rejectHere, function () { decide(occurrence(m, "reject", { scope: "occurrence" })); }, "R"));
    actions.appendChild(action(S.rejectEverywhere, function () { decide(occurrence(m, "reject", { scope: "everywhere" })); }, "N"));
    popup.appendChild(actions);
    var relabel = el("div", { class: "actions" });
    var select = labelSelect(m.label);
    relabel.appendChild(select);
    relabel.appendChild(action(S.relabel, function () {
      if (select.value !== m.label) { decide(occurrence(m, "relabel", { new_label: select.value })); }
    }));
    popup.appendChild(relabel);
  }
  function hintPopup(h) {
    popup.appendChild(el("h3", {}, "«\u00a0" + h.text + "\u00a0»"));
    var actions = el("div", { class: "actions" });
    var select = labelSelect(h.label || document.getElementById("mark-label").value);
    actions.appendChild(el("span", {}, S.markAs));
    actions.appendChild(select);
    actions.appendChild(action(S.mark, function () { decide(occurrence(h, "mark", { label: select.value })); }));
    popup.appendChild(actions);
    var more = el("div", { class: "actions" });
    if (h.near) {
      more.appendChild(action(S.sameAs + " «\u00a0" + h.near + "\u00a0»", function () {
        decide(occurrence(h, "mark", { label: h.label, variant_of: h.near }));
      }));
    }
    if (h.kind !== "quasi_identifier") {
      more.appendChild(action(S.notPersonal, function () {
        decide(occurrence(h, "reject", { scope: "everywhere", label: select.value }));
      }));
    }
    popup.appendChild(more);
  }
  function openPopup(target, focusInside) {
    clearTimeout(hideTimer);
    current = target;
    popup.textContent = "";
    var m = marks[target.getAttribute("data-mark")], h = hints[target.getAttribute("data-hint")];
    if (m) { markPopup(m); } else if (h) { hintPopup(h); } else { return; }
    var close = el("button", { type: "button", class: "close" }, S.close);
    close.addEventListener("click", function () { closePopup(true); });
    popup.appendChild(close);
    popup.setAttribute("aria-label", target.textContent);
    popup.hidden = false;
    place(target);
    if (focusInside) { var first = popup.querySelector("button, select"); if (first) { first.focus(); } }
  }
  function closePopup(refocus) {
    popup.hidden = true;
    if (refocus && current) { current.focus({ preventScroll: true }); }
  }
  function later() { clearTimeout(hideTimer); hideTimer = setTimeout(function () {
    if (!popup.matches(":hover") && !popup.contains(document.activeElement)) { closePopup(false); } }, 350); }

  document.querySelectorAll("mark.m, .hint").forEach(function (node) {
    node.addEventListener("mouseenter", function () { openPopup(node, false); });
    node.addEventListener("mouseleave", later);
    node.addEventListener("focus", function () { openPopup(node, false); });
    node.addEventListener("click", function () { openPopup(node, true); });
  });
  if (popup) { popup.addEventListener("mouseleave", later); }
  if (popup) popup.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closePopup(true); }
  });

  /* -- keyboard ------------------------------------------------------------------------------ */
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.tagName === "SELECT" || target.tagName === "INPUT") { return; }
    var m = target.getAttribute && marks[target.getAttribute("data-mark")];
    if (event.key === "Escape") { closePopup(true); return; }
    if ((event.key === "Enter" || event.key === " ") && (m || (target.getAttribute && hints[target.getAttribute("data-hint")]))) {
      event.preventDefault(); openPopup(target, true); return;
    }
    if (m) {
      var key = event.key.toLowerCase();
      if (key === "a") { decide(occurrence(m, "accept")); openPopup(target, false); return; }
      if (key === "r") { decide(occurrence(m, "reject", { scope: "occurrence" })); openPopup(target, false); return; }
      if (key === "n") { decide(occurrence(m, "reject", { scope: "everywhere" })); openPopup(target, false); return; }
    }
    if (event.key === "m" || event.key === "M") { if (markSelection()) { event.preventDefault(); } }
  });

  /* -- marking missed text ------------------------------------------------------------------ */
  function point(node, offset) {
    /* (text node, offset) of a selection boundary, descending into elements */
    while (node && node.nodeType !== 3) {
      if (offset < node.childNodes.length) { node = node.childNodes[offset]; offset = 0; }
      else if (node.lastChild) { node = node.lastChild; offset = node.nodeType === 3 ? node.length : node.childNodes.length; }
      else { return null; }
    }
    var holder = node && node.parentElement && node.parentElement.closest("[data-o]");
    if (!holder || !holder.closest(".orig")) { return null; }
    return { line: holder.closest(".orig"), offset: Number(holder.getAttribute("data-o")) + offset };
  }
  function markSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      var status = document.getElementById("decision-count");
      if (status) { status.textContent = S.noSelection; }
      return false;
    }
    var range = selection.getRangeAt(0);
    var a = point(range.startContainer, range.startOffset), b = point(range.endContainer, range.endOffset);
    var text = range.toString();
    if (!a || !b || a.line !== b.line || !text.trim()) { return false; }
    var lead = text.length - text.replace(/^\s+/, "").length;
    var form = text.trim();
    var start = a.offset + lead;
    var d = { action: "mark", document: DATA.document, start: start, end: start + form.length, form: form,
              label: document.getElementById("mark-label").value };
    decide(d);
    if (range.startContainer === range.endContainer && range.startContainer.nodeType === 3) {
      var wrap = el("mark", { class: "m new l-" + d.label, "data-code": labels[d.label].short });
      try { range.surroundContents(wrap); } catch (e) { /* shown in the decisions list */ }
    }
    selection.removeAllRanges();
    return true;
  }
  var markButton = document.getElementById("mark-selection");
  if (markButton) {
    markButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
    markButton.addEventListener("click", markSelection);
  }

  /* -- go to an item ---------------------------------------------------------------------- */
  document.querySelectorAll("button.go").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-target"));
      if (!target) { return; }
      target.scrollIntoView({ block: "center" });
      target.classList.remove("flash"); void target.offsetWidth; target.classList.add("flash");
      target.focus({ preventScroll: true });
    });
  });

  /* -- export ------------------------------------------------------------------------------- */
  document.getElementById("export").addEventListener("click", function () {
    var keys = Object.keys(decisions).sort();
    var payload = { format: "anonymiser-review-decisions", version: 1, report: DATA.report,
                    decisions: keys.map(function (k) { return decisions[k]; }) };
    var blob = new Blob([JSON.stringify(payload, null, 1) + "\n"], { type: "application/json" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "decisions.json" });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    var count = document.getElementById("decision-count");
    if (count) { count.textContent = fmt(S.exported, keys.length); }
  });
  refresh();
}());
