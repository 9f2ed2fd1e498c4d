// Worksheet answering: autosave a few seconds after the last keystroke and when leaving a field,
// keep unsaved answers in the browser's local storage until the server has them, and let
// timeline rows be added, removed and moved with buttons (so by keyboard too).
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-autosave-url");
  var storageKey = form.getAttribute("data-storage-key");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("save-status");
  var dirty = {};
  var timer = null;
  var saving = false;

  // Interface text comes translated from the template (data-msg-*), the Swedish as fallback.
  function t(key, fallback) { return form.getAttribute("data-msg-" + key) || fallback; }

  function readStore() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function writeStore(pending) {
    try {
      if (Object.keys(pending).length) window.localStorage.setItem(storageKey, JSON.stringify(pending));
      else window.localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  }

  function questionValue(box) {
    var type = box.getAttribute("data-type");
    if (type === "reflection") return box.querySelector("textarea").value;
    if (type === "scale") {
      var checked = box.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    if (type === "choice") {
      var boxes = box.querySelectorAll("input[type=checkbox], input[type=radio]");
      var values = [];
      boxes.forEach(function (el) { if (el.checked) values.push(el.value); });
      return box.hasAttribute("data-multiple") ? values : (values[0] || "");
    }
    if (type === "timeline") {
      var rows = [];
      box.querySelectorAll(".timeline-row").forEach(function (row) {
        var period = row.querySelector(".timeline-period").value;
        var event = row.querySelector(".timeline-event").value;
        if (period.trim() || event.trim()) rows.push({ period: period, event: event });
      });
      return rows;
    }
    return null;
  }

  function setValue(box, value) {
    var type = box.getAttribute("data-type");
    if (type === "reflection") box.querySelector("textarea").value = value;
    else if (type === "scale" || type === "choice") {
      var wanted = Array.isArray(value) ? value : [String(value)];
      box.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) {
        el.checked = wanted.indexOf(el.value) !== -1;
      });
    } else if (type === "timeline" && Array.isArray(value)) {
      var list = box.querySelector(".timeline-rows");
      var rows = list.querySelectorAll(".timeline-row");
      while (rows.length < value.length + 1) { addRow(box, false); rows = list.querySelectorAll(".timeline-row"); }
      rows.forEach(function (row, i) {
        row.querySelector(".timeline-period").value = value[i] ? value[i].period : "";
        row.querySelector(".timeline-event").value = value[i] ? value[i].event : "";
      });
    }
  }

  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle("save-status--error", !!isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function fieldError(id, message) {
    var box = form.querySelector('[data-question="' + id + '"]');
    if (!box) return;
    var el = box.querySelector(".field-error.js-error");
    if (!message) { if (el) el.remove(); box.classList.remove("question--error"); return; }
    if (!el) {
      el = document.createElement("p");
      el.className = "field-error js-error";
      el.id = "jserr-" + id;
      el.setAttribute("role", "alert");
      var host = box.querySelector("fieldset") || box;
      host.insertBefore(el, host.children[1] || null);
    }
    el.textContent = message;
    box.classList.add("question--error");
  }

  function markDirty(box) {
    var id = box.getAttribute("data-question");
    dirty[id] = questionValue(box);
    var pending = readStore();
    pending[id] = dirty[id];
    writeStore(pending);
  }

  function save() {
    clearTimeout(timer);
    if (saving) { timer = setTimeout(save, 1000); return; }
    var pending = readStore();
    if (!Object.keys(pending).length) return;
    saving = true;
    dirty = {};
    show(t("saving", "Sparar…"));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ answers: pending }),
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; },
          function () { return { ok: false, status: response.status, data: {} }; });
      })
      .then(function (result) {
        saving = false;
        var errors = (result.data && result.data.errors) || {};
        if (!result.ok && !Object.keys(errors).length) throw new Error("HTTP " + result.status);
        // Whatever the server kept is off the local list; refused answers stay until fixed.
        var still = readStore();
        Object.keys(pending).forEach(function (id) {
          fieldError(id, errors[id]);
          if (!errors[id] && JSON.stringify(still[id]) === JSON.stringify(pending[id]) && !(id in dirty)) delete still[id];
        });
        writeStore(still);
        if (Object.keys(errors).length) show(t("field-error", "Något svar kunde inte sparas – se meddelandet vid frågan."), true);
        else show(result.data.saved_label || t("saved", "Sparat"));
      })
      .catch(function () {
        saving = false;
        show(t("offline", "Kunde inte spara just nu. Dina svar finns kvar i webbläsaren och sparas när anslutningen fungerar igen."), true);
        timer = setTimeout(save, 15000);
      });
  }

  function schedule(delay) { clearTimeout(timer); timer = setTimeout(save, delay); }

  form.addEventListener("input", function (event) {
    var box = event.target.closest("[data-question]");
    if (!box) return;
    markDirty(box);
    schedule(2500);
  });
  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-question]");
    if (!box) return;
    markDirty(box);
    schedule(300);
  });
  form.addEventListener("focusout", function () { if (Object.keys(readStore()).length) schedule(200); });
  window.addEventListener("online", function () { schedule(100); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });
  form.addEventListener("submit", function () { clearTimeout(timer); writeStore({}); });

  // Timeline rows: add, remove, move up and down.
  function rowButton(label, action, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "row-button";
    b.setAttribute("data-action", action);
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }
  function decorate(row) {
    if (row.querySelector(".row-actions")) return;
    var actions = document.createElement("span");
    actions.className = "row-actions";
    actions.appendChild(rowButton(t("row-up", "Flytta upp raden"), "up", "↑"));
    actions.appendChild(rowButton(t("row-down", "Flytta ned raden"), "down", "↓"));
    actions.appendChild(rowButton(t("row-remove", "Ta bort raden"), "remove", "✕"));
    row.appendChild(actions);
  }
  function addRow(box, focus) {
    var list = box.querySelector(".timeline-rows");
    var template = list.querySelector(".timeline-row");
    var row = template.cloneNode(true);
    row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
    var old = row.querySelector(".row-actions");
    if (old) old.remove();
    list.appendChild(row);
    decorate(row);
    if (focus) row.querySelector("input").focus();
    return row;
  }
  form.querySelectorAll('[data-type="timeline"]').forEach(function (box) {
    box.querySelectorAll(".timeline-row").forEach(decorate);
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button button--secondary";
    add.textContent = t("row-add", "Lägg till rad");
    add.addEventListener("click", function () { addRow(box, true); });
    box.querySelector(".timeline-actions").appendChild(add);
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (!button) return;
      var row = button.closest(".timeline-row");
      var list = row.parentNode;
      var action = button.getAttribute("data-action");
      if (action === "remove") {
        var next = row.nextElementSibling || row.previousElementSibling;
        if (list.querySelectorAll(".timeline-row").length > 1) row.remove();
        else row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
        if (next) next.querySelector("input").focus();
      } else if (action === "up" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
        button.focus();
      } else if (action === "down" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
        button.focus();
      }
      markDirty(box);
      schedule(300);
    });
  });

  // Restore answers the server never received (a crash, a lost connection), then send them.
  var pending = readStore();
  Object.keys(pending).forEach(function (id) {
    var box = form.querySelector('[data-question="' + id + '"]');
    if (box) setValue(box, pending[id]);
  });
  if (Object.keys(pending).length) {
    show(t("restored", "Svar som inte hann sparas har hämtats från webbläsaren och sparas nu."));
    schedule(500);
  }
})();
