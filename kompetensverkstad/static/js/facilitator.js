// The facilitator view on a projector: one slide at a time, arrow keys and buttons to move,
// a countdown per stage. Without this script the page reads top to bottom with every slide.
(function () {
  "use strict";
  var root = document.getElementById("ledarvy");
  if (!root) return;
  var slides = Array.prototype.slice.call(root.querySelectorAll(".slide"));
  var controls = root.querySelector(".slide-controls");
  var counter = root.querySelector(".slide-controls__counter");
  var hint = root.querySelector(".facilitator__hint");
  var counterText = root.getAttribute("data-msg-counter") || "%(n)s / %(total)s";
  var current = 0;

  function indexFromHash() {
    var id = window.location.hash.slice(1);
    for (var i = 0; i < slides.length; i += 1) {
      if (slides[i].id === id) return i;
    }
    return 0;
  }

  function show(index, moveFocus) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    counter.textContent = counterText
      .replace("%(n)s", String(current + 1))
      .replace("%(total)s", String(slides.length));
    controls.querySelector("[data-slide=prev]").disabled = current === 0;
    controls.querySelector("[data-slide=next]").disabled = current === slides.length - 1;
    if (window.history.replaceState) {
      window.history.replaceState(null, "", "#" + slides[current].id);
    }
    if (moveFocus) {
      // The heading takes focus so a screen reader reads the new slide from its start.
      var heading = slides[current].querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
    window.scrollTo(0, 0);
  }

  root.classList.add("facilitator--slides");
  // On the projector the slides get the whole screen; "Tillbaka" leads out of the view.
  document.body.classList.add("slides-on");
  controls.hidden = false;
  if (hint) hint.hidden = false;
  show(indexFromHash(), false);

  controls.addEventListener("click", function (event) {
    var button = event.target.closest("[data-slide]");
    if (!button) return;
    var action = button.getAttribute("data-slide");
    if (action === "prev") show(current - 1, false);
    if (action === "next") show(current + 1, false);
    if (action === "fullscreen") {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (root.requestFullscreen) {
        root.requestFullscreen().catch(function () {});
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    // Keys typed into a field or used by the video player are theirs, not the slides'.
    if (target.closest && target.closest("input, textarea, select, video, [contenteditable]")) {
      return;
    }
    var moves = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      show(current + moves[event.key], true);
    } else if (event.key === "Home") {
      event.preventDefault();
      show(0, true);
    } else if (event.key === "End") {
      event.preventDefault();
      show(slides.length - 1, true);
    }
  });

  // Chapter links seek the video on the same slide instead of opening the file.
  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-seek]");
    if (!link) return;
    var video = link.closest(".slide").querySelector("video");
    if (!video) return;
    event.preventDefault();
    video.currentTime = Number(link.getAttribute("data-seek")) || 0;
    video.play().catch(function () {});
  });

  // --- Timers -------------------------------------------------------------------------------
  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  Array.prototype.forEach.call(root.querySelectorAll(".timer"), function (box) {
    var total = Number(box.getAttribute("data-seconds")) || 0;
    var left = total;
    var interval = null;
    var display = box.querySelector(".timer__time");
    var status = box.querySelector(".timer__status");
    var toggle = box.querySelector("[data-timer=toggle]");
    var reset = box.querySelector("[data-timer=reset]");
    var toggleLabel = toggle.firstChild;
    box.querySelector(".timer__buttons").hidden = false;

    function render() {
      display.textContent = format(left);
      box.classList.toggle("timer--done", left === 0);
    }
    function stop() {
      clearInterval(interval);
      interval = null;
      toggleLabel.textContent = toggle.getAttribute("data-start");
      box.classList.remove("timer--running");
    }
    toggle.addEventListener("click", function () {
      if (interval) { stop(); return; }
      if (left === 0) left = total;
      status.textContent = "";
      toggleLabel.textContent = toggle.getAttribute("data-pause");
      box.classList.add("timer--running");
      var endsAt = Date.now() + left * 1000;
      interval = setInterval(function () {
        // From the clock, not by counting ticks: a background tab's timers are slowed.
        left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
        render();
        if (left === 0) {
          stop();
          status.textContent = status.getAttribute("data-done");
        }
      }, 250);
    });
    reset.addEventListener("click", function () {
      stop();
      left = total;
      status.textContent = "";
      render();
    });
    render();
  });
})();
