// billtriage UI: keyboard shortcuts, in the manner of Linear's and Gmail's
// lists. Everything they do is a link or a form already, so the pages work
// without this script; it only saves the mouse.
//
// Queue list (a table with data-keynav): j/k move the current row, o or
// Enter open it, a/e/r open it at its accept, edit or reassign action.
// Detail page: a/e/r bring that action's control into view and focus it;
// nothing is submitted by a single key, since a stray keystroke must not
// resolve an item. Everywhere: / searches, ? shows the shortcuts, Esc closes.
(function () {
  "use strict";

  var shortcuts = [
    ["j", "next item"],
    ["k", "previous item"],
    ["o / Enter", "open the item"],
    ["a", "accept: go to the Accept button"],
    ["e", "edit the suggestion"],
    ["r", "reassign to another queue"],
    ["/", "search"],
    ["?", "show or hide this help"],
    ["Esc", "close help, leave the search box"]
  ];

  var help = null;
  function toggleHelp(show) {
    if (!help) {
      help = document.createElement("div");
      help.className = "kb-help";
      help.id = "kb-help";
      help.hidden = true;
      var box = document.createElement("div");
      box.className = "kb-help-box";
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-modal", "true");
      box.setAttribute("aria-labelledby", "kb-help-title");
      box.tabIndex = -1;
      var h = document.createElement("h2");
      h.id = "kb-help-title";
      h.textContent = "Keyboard shortcuts";
      var dl = document.createElement("dl");
      shortcuts.forEach(function (s) {
        var dt = document.createElement("dt");
        s[0].split(" / ").forEach(function (k, i) {
          if (i > 0) { dt.appendChild(document.createTextNode(" ")); }
          var kbd = document.createElement("kbd");
          kbd.textContent = k;
          dt.appendChild(kbd);
        });
        var dd = document.createElement("dd");
        dd.textContent = s[1];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn btn-small";
      close.textContent = "Close";
      close.addEventListener("click", function () { toggleHelp(false); });
      box.appendChild(h);
      box.appendChild(dl);
      box.appendChild(close);
      help.appendChild(box);
      help.addEventListener("click", function (e) { if (e.target === help) { toggleHelp(false); } });
      document.body.appendChild(help);
    }
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) { help.querySelector(".kb-help-box").focus(); }
  }

  // The queue list's current row.
  var list = document.querySelector("table[data-keynav]");
  var rows = list ? Array.prototype.slice.call(list.querySelectorAll("tbody tr[data-href]")) : [];
  var current = -1;
  function select(i) {
    if (!rows.length) { return; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) {
      rows[current].classList.remove("kb-current");
      rows[current].removeAttribute("aria-selected");
    }
    current = i;
    var row = rows[current];
    row.classList.add("kb-current");
    row.setAttribute("aria-selected", "true");
    var link = row.querySelector("a.row-link");
    if (link) { link.focus({ preventScroll: true }); }
    row.scrollIntoView({ block: "nearest" });
  }
  function open(hash) {
    if (current < 0) { select(0); }
    if (current >= 0) { window.location.href = rows[current].dataset.href + (hash || ""); }
  }
  // A row reached with Tab or a click becomes the current one too.
  rows.forEach(function (row, i) {
    row.addEventListener("focusin", function () { if (current !== i) { select(i); } });
  });

  // Detail page: bring an action's control forward, opening its
  // <details> if folded, without submitting anything.
  var targets = { a: "accept", e: "root_cause", r: "queue" };
  function reveal(id) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    var d = el.closest("details");
    if (d) { d.open = true; }
    el.scrollIntoView({ block: "center" });
    el.focus();
    return true;
  }
  var fromHash = { "#accept": "accept", "#edit": "root_cause", "#reassign": "queue" }[window.location.hash];
  if (fromHash) { reveal(fromHash); }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "Escape") {
      if (help && !help.hidden) { toggleHelp(false); e.preventDefault(); return; }
      if (typing(document.activeElement)) { document.activeElement.blur(); }
      return;
    }
    if (typing(e.target)) { return; }
    if (help && !help.hidden && e.key !== "?") { return; }
    switch (e.key) {
    case "?":
      toggleHelp();
      break;
    case "j":
      if (!rows.length) { return; }
      select(current + 1);
      break;
    case "k":
      if (!rows.length) { return; }
      select(current < 0 ? 0 : current - 1);
      break;
    case "o":
    case "Enter":
      if (!rows.length) { return; }
      // Enter on a focused link or button already does its own thing.
      if (e.key === "Enter" && document.activeElement && /^(A|BUTTON)$/.test(document.activeElement.tagName) &&
          !document.activeElement.classList.contains("row-link")) { return; }
      open("");
      break;
    case "a":
    case "e":
    case "r":
      if (rows.length) {
        open({ a: "#accept", e: "#edit", r: "#reassign" }[e.key]);
      } else if (!reveal(targets[e.key])) {
        return;
      }
      break;
    default:
      return;
    }
    e.preventDefault();
  });

  // "/" is taken on keypress, not keydown: focus moves to the search box
  // before the character is typed, and cancelling the keypress is what
  // keeps the "/" out of it.
  document.addEventListener("keypress", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    if (help && !help.hidden) { return; }
    var search = document.getElementById("search");
    if (!search) { return; }
    e.preventDefault();
    search.focus();
    search.select();
  });
})();
