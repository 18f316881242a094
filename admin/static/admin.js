// Avisera admin: small progressive enhancements. Every page works without
// this script. It sends the CSRF token with htmx requests, inserts template
// variables at the cursor, submits forms on a tick, confirms destructive
// actions, prints, adds address fields, and shows only the fields of the
// link form that the chosen trigger uses.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var lastField = null;

  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-vars]")) {
      lastField = e.target;
    }
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    var ins = t.closest("[data-insert]");
    if (ins) {
      e.preventDefault();
      insert(ins.getAttribute("data-insert"));
      return;
    }
    if (t.closest("[data-print]")) {
      window.print();
      return;
    }
    var add = t.closest("[data-add]");
    if (add) {
      addField(add);
    }
  });

  // insert puts text at the cursor of the last focused template field.
  function insert(text) {
    var f = lastField || document.querySelector("[data-vars]");
    if (!f) {
      return;
    }
    var start = f.selectionStart == null ? f.value.length : f.selectionStart;
    var end = f.selectionEnd == null ? f.value.length : f.selectionEnd;
    f.value = f.value.slice(0, start) + text + f.value.slice(end);
    f.focus();
    f.setSelectionRange(start + text.length, start + text.length);
    f.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // addField adds one more empty input of a repeated field.
  function addField(btn) {
    var set = btn.closest("[data-multi]");
    var name = btn.getAttribute("data-add");
    var inputs = set.querySelectorAll('input[name="' + name + '"]');
    var last = inputs[inputs.length - 1];
    var n = last.cloneNode();
    n.value = "";
    n.id = last.id + "-" + inputs.length;
    n.setAttribute("aria-label", last.getAttribute("aria-label").replace(/\d+$/, String(inputs.length + 1)));
    last.after(n);
    n.focus();
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("[data-autosubmit]") || (t.form && t.form.matches("[data-autosubmit]"))) {
      t.form.requestSubmit();
      return;
    }
    if (t.matches("[data-timers]")) {
      timers(t);
    }
    if (t.matches("[data-user-tick]")) {
      userTick(t);
    }
    if (t.name === "period") {
      periods(t.form);
    }
  });

  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });

  // timers shows the offset fields for time-based triggers and the time of
  // day for schedule summaries.
  function timers(sel) {
    var opt = sel.options[sel.selectedIndex];
    var timed = opt && opt.getAttribute("data-time-based") === "true";
    var periodic = opt && opt.getAttribute("data-periodic") === "true";
    sel.form.querySelectorAll(".timed").forEach(function (el) { el.hidden = !timed; });
    sel.form.querySelectorAll(".periodic").forEach(function (el) { el.hidden = !periodic; });
  }

  // userTick enables a static recipient's addresses while the user is
  // ticked.
  function userTick(box) {
    var li = box.closest("[data-user]");
    li.querySelectorAll(".addrs input").forEach(function (a) { a.disabled = !box.checked; });
    li.classList.toggle("ticked", box.checked);
  }

  // periods shows the custom dates only for a custom period.
  function periods(form) {
    var custom = form.querySelector("#period-custom");
    var dates = form.querySelector(".custom-dates");
    if (custom && dates) {
      dates.hidden = !custom.checked;
    }
  }

  // On a tablet the menu starts folded above the page.
  function foldMenu() {
    var menu = document.querySelector(".side details");
    if (menu && window.matchMedia("(max-width: 900px)").matches) {
      menu.open = false;
    }
  }

  function init(root) {
    root.querySelectorAll("[data-timers]").forEach(timers);
    root.querySelectorAll("[data-user-tick]").forEach(userTick);
    var f = root.querySelector("#filters");
    if (f) {
      periods(f);
    }
  }

  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = document.body.getAttribute("data-csrf") || "";
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    init(e.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { foldMenu(); init(document); });
  } else {
    foldMenu();
    init(document);
  }
})();
