// Documents being made: ask for their state every few seconds and reload the page once it has
// moved on (ready: the download; failed: "Försök igen"). templates/includes/document_state.html
// gives a box its data-status-url only while its document is queued or rendering.
(function () {
  "use strict";
  var pending = document.querySelectorAll("[data-status-url]:not([data-status-url=''])");
  pending.forEach(function (box) {
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      if (tries > 60) { clearInterval(timer); return; }
      fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || data.state === "queued" || data.state === "rendering") return;
          clearInterval(timer);
          window.location.reload();
        })
        .catch(function () {});
    }, 3000);
  });
})();
