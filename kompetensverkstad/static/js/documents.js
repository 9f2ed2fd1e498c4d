// Documents being made: ask for their state every few seconds and show the download when ready.
(function () {
  "use strict";
  var pending = document.querySelectorAll("[data-status-url]:not([data-status-url=''])");
  pending.forEach(function (box) {
    if (box.querySelector("a[href]")) return;
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
