// Worksheet answering: autosave a few seconds after the last keystroke and when leaving a field,
// keep unsaved answers in the browser's local storage until the server has them, count each
// reflection's characters against its limit while the learner types, and let timeline rows be
// added, removed and moved with buttons (so by keyboard too).
//
// Versions. The page carries the version of the draft it was built from (draft_version); every
// save sends it, and the server refuses (409) a save from an older version than the stored one,
// answering with the stored answers. The script then compares, per question, what the server had
// when this page last knew it (`known`), what the learner has here (`pending`) and what the
// server has now: a question changed only elsewhere is taken into the page, one changed only
// here is saved again on the newer version, and one changed in both places is shown with both
// texts until the learner chooses. Neither a second tab nor an old page ever silently wins.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-autosave-url");
  var storageKey = form.getAttribute("data-storage-key");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var versionInput = form.querySelector("input[name=draft_version]");
  var status = document.getElementById("save-status");
  var base = Number(versionInput.value) || 0;
  var known = readJSON("saved-answers"); // question id → value stored at version `base`
  var pending = {}; // question id → value typed here, not yet stored
  var held = {}; // question id → the stored value, while the learner chooses between the two
  var wasOver = {};
  var timer = null;
  var saving = false;
  var leaving = false;
  var submitAfterSave = null; // a hand-in that waits for the save in flight

  // Interface text comes translated from the template (data-msg-*), the Swedish as fallback.
  function t(key, fallback) { return form.getAttribute("data-msg-" + key) || fallback; }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return name in values ? values[name] : all; });
  }
  // Digits grouped as the page's language writes them: a space in Swedish, the locale's own else.
  function grouped(n) {
    var lang = document.documentElement.lang || "sv";
    if (lang === "sv" || !window.Intl) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
    return new Intl.NumberFormat(lang).format(n);
  }

  function readJSON(id) {
    var el = document.getElementById(id);
    try { return (el && JSON.parse(el.textContent)) || {}; } catch (e) { return {}; }
  }
  function boxOf(id) { return form.querySelector('[data-question="' + id + '"]'); }

  // Values compare as the server stores them: no answer, "" and [] alike, numbers as text.
  function canon(value) {
    if (value === null || value === undefined || value === "") return "";
    if (Array.isArray(value)) {
      if (!value.length) return "";
      return JSON.stringify(value.map(function (v) {
        return v && typeof v === "object" ? [String(v.period || ""), String(v.event || "")] : String(v);
      }));
    }
    return String(value);
  }
  function same(a, b) { return canon(a) === canon(b); }

  // --- Local copy: {question id: {value, base, posted}} until the server has the answer --------
  function readStore() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      return data && typeof data === "object" && !Array.isArray(data) ? data : {};
    } catch (e) { return {}; }
  }
  function writeStore(store) {
    try {
      if (Object.keys(store).length) window.localStorage.setItem(storageKey, JSON.stringify(store));
      else window.localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  }
  function isEntry(entry) { return entry && typeof entry === "object" && !Array.isArray(entry) && "base" in entry; }
  function keep(id, value, from) {
    var store = readStore();
    store[id] = { value: value, base: from === undefined ? base : from };
    writeStore(store);
  }
  function forget(id, value) {
    var store = readStore();
    if (!(id in store)) return;
    if (arguments.length > 1 && !same(isEntry(store[id]) ? store[id].value : store[id], value)) return;
    delete store[id];
    writeStore(store);
  }
  // This page's unsaved answers now rest on the version it knows (a conflict keeps its own).
  function restamp() {
    Object.keys(pending).forEach(function (id) { if (!(id in held)) keep(id, pending[id]); });
  }

  // --- Reading and writing the fields -----------------------------------------------------------
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
    if (type === "reflection") {
      box.querySelector("textarea").value = value === null || value === undefined ? "" : String(value);
      updateCount(box, false);
    } else if (type === "scale" || type === "choice") {
      var wanted = Array.isArray(value) ? value.map(String) : [value === null || value === undefined ? "" : String(value)];
      box.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) {
        el.checked = wanted.indexOf(el.value) !== -1;
      });
    } else if (type === "timeline") {
      var rowsWanted = Array.isArray(value) ? value : [];
      var list = box.querySelector(".timeline-rows");
      var rows = list.querySelectorAll(".timeline-row");
      while (rows.length < rowsWanted.length + 1) { addRow(box, false); rows = list.querySelectorAll(".timeline-row"); }
      rows.forEach(function (row, i) {
        row.querySelector(".timeline-period").value = rowsWanted[i] ? rowsWanted[i].period : "";
        row.querySelector(".timeline-event").value = rowsWanted[i] ? rowsWanted[i].event : "";
      });
    }
  }

  // An answer as text, for the box that shows the stored one beside the learner's.
  function display(box, value) {
    if (canon(value) === "") return "";
    if (box.getAttribute("data-type") === "timeline") {
      return value.map(function (row) { return row.period + ": " + row.event; }).join("\n");
    }
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  function focusField(box) {
    var field = box.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  }

  // --- Messages ---------------------------------------------------------------------------------
  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle("save-status--error", !!isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function describedBy(el, id, on) {
    if (!el) return;
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  function refreshInvalid(box) {
    var field = box.querySelector("textarea") || box.querySelector("fieldset");
    if (!field) return;
    var over = box.querySelector(".char-count--over");
    var flagged = box.querySelector(".field-error") || (field.tagName === "TEXTAREA" && box.querySelector(".field-warning"));
    if (over || flagged) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  }

  // What the last save said about a question replaces what the page said before.
  function fieldMessage(id, message, kind) {
    var box = boxOf(id);
    if (!box) return;
    var target = box.querySelector("textarea") || box.querySelector("fieldset");
    box.querySelectorAll(".field-error:not(.js-message), .field-warning:not(.js-message)").forEach(function (old) {
      describedBy(target, old.id, false);
      old.remove();
    });
    var el = box.querySelector(".js-message");
    if (!message) {
      if (el) { describedBy(target, el.id, false); el.remove(); }
      box.classList.remove("question--error");
      refreshInvalid(box);
      return;
    }
    if (!el) {
      el = document.createElement("p");
      el.id = "jsmsg-" + id;
      var host = box.querySelector("fieldset") || box;
      host.insertBefore(el, host.children[1] || null);
    }
    el.className = (kind === "error" ? "field-error" : "field-warning") + " js-message";
    el.textContent = message;
    describedBy(target, el.id, true);
    box.classList.toggle("question--error", kind === "error");
    refreshInvalid(box);
  }

  // --- The live character count -----------------------------------------------------------------
  // Counted in characters (code points), as the server counts; line breaks count once.
  function length(text) { return Array.from ? Array.from(text).length : text.length; }
  var announceTimers = {};
  function updateCount(box, announce) {
    var textarea = box.querySelector("textarea[data-max]");
    if (!textarea) return;
    var id = box.getAttribute("data-question");
    var counter = document.getElementById("count-" + id);
    var live = document.getElementById("count-live-" + id);
    if (!counter || !live) return;
    var max = Number(textarea.getAttribute("data-max"));
    var n = length(textarea.value);
    var over = n > max;
    var values = { count: grouped(n), max: grouped(max), over: grouped(n - max) };
    counter.textContent = fmt(over ? t("count-over", "%(count)s av högst %(max)s tecken – %(over)s för många.")
      : t("count", "%(count)s av högst %(max)s tecken"), values);
    counter.classList.toggle("char-count--over", over);
    counter.classList.toggle("muted", !over);
    refreshInvalid(box);
    if (!announce) { wasOver[id] = over; return; }
    // Screen readers hear the count once typing pauses, near or over the limit, and once more
    // when the answer is back under it; not at every keystroke.
    clearTimeout(announceTimers[id]);
    announceTimers[id] = setTimeout(function () {
      var back = wasOver[id] && !over;
      if (over || back || n >= max * 0.9) live.textContent = counter.textContent;
      wasOver[id] = over;
    }, 1200);
  }

  // --- Saving -----------------------------------------------------------------------------------
  function setBase(version) {
    if (typeof version !== "number") return;
    base = version;
    versionInput.value = String(version);
  }

  function markDirty(box) {
    var id = box.getAttribute("data-question");
    pending[id] = questionValue(box);
    keep(id, pending[id], id in held ? readBase(id) : base);
  }
  function readBase(id) {
    var entry = readStore()[id];
    return isEntry(entry) ? entry.base : base;
  }

  function save() {
    clearTimeout(timer);
    if (leaving) return;
    if (saving) { timer = setTimeout(save, 1000); return; }
    var sent = {};
    Object.keys(pending).forEach(function (id) { if (!(id in held)) sent[id] = pending[id]; });
    if (!Object.keys(sent).length) { afterSave(); return; }
    saving = true;
    show(t("saving", "Sparar…"));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ answers: sent, draft_version: base }),
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; },
          function () { return { ok: false, status: response.status, data: {} }; });
      })
      .then(function (result) {
        saving = false;
        var data = result.data || {};
        if (result.status === 409 && data.answers) { reconcile(data, sent); afterSave(); return; }
        var errors = data.errors || {};
        var warnings = data.warnings || {};
        if (!result.ok && !Object.keys(errors).length) throw new Error("HTTP " + result.status);
        setBase(data.draft_version);
        Object.keys(sent).forEach(function (id) {
          // A refused answer stays here and in the browser until it is fixed; the rest is stored.
          if (errors[id]) { fieldMessage(id, errors[id] + " " + t("not-saved", "Svaret är inte sparat, men texten finns kvar här på sidan."), "error"); return; }
          fieldMessage(id, warnings[id] || null, "warning");
          known[id] = sent[id];
          if (same(pending[id], sent[id])) { delete pending[id]; forget(id, sent[id]); }
        });
        restamp();
        if (Object.keys(errors).length) show(t("field-error", "Något svar kunde inte sparas – se meddelandet vid frågan."), true);
        else show(data.saved_label || t("saved", "Sparat"), Object.keys(warnings).length > 0);
        afterSave();
      })
      .catch(function () {
        saving = false;
        show(t("offline", "Kunde inte spara just nu. Dina svar finns kvar i webbläsaren och sparas när anslutningen fungerar igen."), true);
        timer = setTimeout(save, 15000);
        afterSave();
      });
  }

  function schedule(delay) { clearTimeout(timer); timer = setTimeout(save, delay); }

  // The page now knows the stored answers at `version`: questions not being edited here show them.
  function adopt(version, stored) {
    var changed = false;
    setBase(version);
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var id = box.getAttribute("data-question");
      var value = id in stored ? stored[id] : null;
      if (!(id in pending) && !same(questionValue(box), value)) { setValue(box, value); changed = true; }
      known[id] = value;
    });
    restamp();
    return changed;
  }

  function reconcile(data, sent) {
    var stored = data.answers || {};
    var clashes = [];
    Object.keys(sent).forEach(function (id) {
      if (same(stored[id], pending[id])) { delete pending[id]; forget(id); fieldMessage(id, null); }
      else if (!same(stored[id], known[id])) { held[id] = id in stored ? stored[id] : null; clashes.push(id); }
      // Otherwise only this page changed it: it is saved again on the newer version below.
    });
    var changed = adopt(data.draft_version, stored);
    clashes.forEach(showConflict);
    if (clashes.length) show(data.error || t("conflict", "Inte sparat: svaren har ändrats på annat håll."), true);
    else {
      if (changed) show(t("merged", "Svar som sparats i en annan flik har hämtats till sidan."));
      schedule(100);
    }
  }

  function showConflict(id) {
    var box = boxOf(id);
    if (!box) return;
    var old = document.getElementById("conflict-" + id);
    if (old) old.remove();
    var wrap = document.createElement("div");
    wrap.className = "draft-conflict js-conflict";
    wrap.id = "conflict-" + id;
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-labelledby", "conflict-title-" + id);
    var title = document.createElement("p");
    title.className = "draft-conflict__title";
    title.id = "conflict-title-" + id;
    var strong = document.createElement("strong");
    strong.textContent = t("conflict-title", "Svaret har ändrats i en annan flik eller ett annat fönster.");
    title.appendChild(strong);
    var body = document.createElement("p");
    body.textContent = t("conflict-body", "Texten i fältet är din och är inte sparad. Det senast sparade svaret är:");
    var text = document.createElement("div");
    text.className = "draft-conflict__text";
    text.setAttribute("dir", "auto");
    var shown = display(box, held[id]);
    if (shown) text.textContent = shown;
    else { var none = document.createElement("em"); none.textContent = t("empty", "(inget svar)"); text.appendChild(none); }
    var actions = document.createElement("p");
    actions.className = "draft-conflict__actions";
    [["keep", "button", t("conflict-keep", "Behåll min text och spara den")],
      ["take", "button button--secondary", t("conflict-take", "Använd det sparade svaret")]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = b[1];
      button.setAttribute("data-conflict", b[0]);
      button.textContent = b[2];
      button.addEventListener("click", function () { resolve(id, b[0]); });
      actions.appendChild(button);
    });
    wrap.appendChild(title);
    wrap.appendChild(body);
    wrap.appendChild(text);
    wrap.appendChild(actions);
    box.appendChild(wrap);
  }

  function resolve(id, choice) {
    var box = boxOf(id);
    var stored = held[id];
    delete held[id];
    var wrap = document.getElementById("conflict-" + id);
    if (wrap) wrap.remove();
    if (choice === "take") {
      setValue(box, stored);
      delete pending[id];
      forget(id);
      fieldMessage(id, null);
      show(t("conflict-took", "Det sparade svaret används nu."));
    } else {
      keep(id, pending[id]); // now on the version that holds the other text: saving replaces it
      schedule(100);
    }
    focusField(box);
  }

  function afterSave() {
    if (!submitAfterSave) return;
    var submitter = submitAfterSave.submitter;
    submitAfterSave = null;
    if (Object.keys(held).length) { show(t("conflict-first", "Välj vid frågan vilket svar du vill behålla."), true); return; }
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
  }

  form.addEventListener("input", function (event) {
    var box = event.target.closest("[data-question]");
    if (!box) return;
    markDirty(box);
    updateCount(box, true);
    schedule(2500);
  });
  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-question]");
    if (!box) return;
    markDirty(box);
    schedule(300);
  });
  form.addEventListener("focusout", function () { if (Object.keys(pending).length) schedule(200); });
  window.addEventListener("online", function () { schedule(100); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) leaving = false; });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (Object.keys(held).length) {
      event.preventDefault();
      show(t("conflict-first", "Välj vid frågan vilket svar du vill behålla."), true);
      var first = form.querySelector(".js-conflict button");
      if (first) first.focus();
      return;
    }
    if (saving) {
      // The form goes once the save in flight is answered, with the version that save stored.
      event.preventDefault();
      submitAfterSave = { submitter: event.submitter || null };
      return;
    }
    // The form carries every answer: what this page kept locally is marked as sent with it.
    leaving = true;
    var store = readStore();
    Object.keys(pending).forEach(function (id) { if (isEntry(store[id])) store[id].posted = true; });
    writeStore(store);
  });

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

  // Counters: the limit as "n av högst m tecken" beside each reflection, with a polite live
  // region that screen readers hear when typing pauses.
  form.querySelectorAll('[data-type="reflection"]').forEach(function (box) {
    var id = box.getAttribute("data-question");
    var counter = document.getElementById("count-" + id);
    if (!counter) return;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.id = "count-live-" + id;
    live.setAttribute("aria-live", "polite");
    counter.parentNode.insertBefore(live, counter.nextSibling);
    updateCount(box, false);
  });

  // A page that answers a posted form becomes a plain visit in the history, so a reload or a
  // return to it asks for the saved draft instead of sending the old form again.
  var posted = form.hasAttribute("data-posted");
  if (posted && window.history.replaceState) window.history.replaceState(window.history.state, "", window.location.href);

  // Answers the server never received (a crash, a lost connection) come back from the browser.
  // One kept on the version this page shows is restored and saved; one kept on an older version
  // was overtaken by a save from elsewhere, so the learner sees both and chooses.
  var store = readStore();
  var restored = 0;
  var clashes = 0;
  Object.keys(store).forEach(function (id) {
    var box = boxOf(id);
    if (!box) return;
    var entry = isEntry(store[id]) ? store[id] : { value: store[id], base: base };
    if (same(entry.value, known[id])) { forget(id); return; }
    var overtaken = entry.base !== base;
    if (entry.posted && posted) {
      // Sent with the form this page answers: a refused answer is back in its field (and kept
      // here until it is fixed). A form refused as older than the saved draft shows what it sent
      // under the question; here that becomes the choice between the two, kept over a reload.
      var unsaved = document.getElementById("unsaved-" + id);
      if (same(questionValue(box), entry.value)) { pending[id] = entry.value; keep(id, entry.value); return; }
      if (!unsaved) { forget(id); return; }
      unsaved.remove();
      keep(id, entry.value, entry.base);
      overtaken = true;
    }
    if (overtaken) {
      setValue(box, entry.value);
      pending[id] = entry.value;
      held[id] = id in known ? known[id] : null;
      showConflict(id);
      clashes++;
      return;
    }
    if (!same(questionValue(box), entry.value)) { setValue(box, entry.value); restored++; }
    pending[id] = entry.value;
    if (entry.posted) keep(id, entry.value); // a form that never arrived: an answer like any other
  });
  if (clashes) show(t("conflict", "Inte sparat: svaren har ändrats på annat håll."), true);
  else if (Object.keys(pending).length) {
    if (restored) show(t("restored", "Svar som inte hann sparas har hämtats från webbläsaren och sparas nu."));
    schedule(500);
  }
})();
