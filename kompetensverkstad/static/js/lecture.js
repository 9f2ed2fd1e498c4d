// Chapter links seek the player instead of opening the file; captions stay as the viewer set them.
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
})();
