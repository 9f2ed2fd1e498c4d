// Lecture page: chapter links seek the player; for a signed-in learner the player reports the
// ranges actually played (video.played), so seeking to the end does not count as watching.
(function () {
  "use strict";
  var video = document.getElementById("lecture-video");
  if (!video) return;

  document.querySelectorAll("[data-seek]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var seconds = parseFloat(link.getAttribute("data-seek")) || 0;
      video.currentTime = seconds;
      video.focus();
      var played = video.play();
      if (played && played.catch) played.catch(function () {});
      document.querySelectorAll("[data-seek][aria-current]").forEach(function (el) {
        el.removeAttribute("aria-current");
      });
      link.setAttribute("aria-current", "true");
    });
  });

  var url = video.getAttribute("data-progress-url");
  var token = video.getAttribute("data-csrf");
  if (!url || !token) return;
  var status = document.getElementById("step-state");
  var lastSent = "";

  function playedRanges() {
    var ranges = [];
    for (var i = 0; i < video.played.length; i++) {
      ranges.push([video.played.start(i), video.played.end(i)]);
    }
    return ranges;
  }

  function report() {
    var ranges = playedRanges();
    var body = JSON.stringify({ played: ranges });
    if (!ranges.length || body === lastSent) return;
    lastSent = body;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: body,
      keepalive: true,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.state === "completed" && status && !status.dataset.done) {
          status.dataset.done = "1";
          status.textContent = status.getAttribute("data-done-text") || "Klart";
        }
      })
      .catch(function () { lastSent = ""; });
  }

  setInterval(function () { if (!video.paused) report(); }, 10000);
  video.addEventListener("pause", report);
  video.addEventListener("ended", report);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") report();
  });
})();
