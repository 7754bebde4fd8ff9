// Recover a page whose end never arrived.
//
// Voila streams the page while the kernel runs the app, and shows "Executing N of M" until
// the last part of the page arrives. Now and then that last part is lost although the kernel
// ran every cell, and the page would wait for good. Here the page watches itself: while its
// end has not arrived and the spinner has not moved for a while, it asks the room server
// whether its kernel is still working. A kernel that is idle twice in a row (or gone) means the page is stuck: reload it
// (the participant's work is in their workbook, so nothing is lost), at most twice, then
// show a message with a reload link.
(function () {
  var QUIET_MS = 6000, CHECK_MS = 2500, MAX_RELOADS = 2;
  var lastProgress = Date.now(), idleChecks = 0, finished = false;
  var key = "d4-reloads:" + location.pathname;
  var process = window.voila_process, finish = window.voila_finish;
  window.voila_process = function (i, n) { lastProgress = Date.now(); return process(i, n); };
  window.voila_finish = function () { finished = true; lastProgress = Date.now(); return finish(); };

  function kernelId() {
    var el = document.getElementById("jupyter-config-data");
    if (!el) { return null; }
    try { return JSON.parse(el.textContent).kernelId || null; } catch (e) { return null; }
  }
  function recover() {
    clearInterval(timer);  // once: the reload itself may take a while to arrive
    var n = parseInt(sessionStorage.getItem(key) || "0", 10);
    if (n < MAX_RELOADS) {
      sessionStorage.setItem(key, String(n + 1));
      location.reload();
    } else {
      var box = document.getElementById("d4-recover");
      if (box) { box.style.display = "block"; }
    }
  }
  function check() {
    if (finished || !document.getElementById("loading")) {
      // the whole page arrived: what is left is the browser's own work (scripts, widgets)
      sessionStorage.removeItem(key);
      clearInterval(timer);
      return;
    }
    if (Date.now() - lastProgress < QUIET_MS) { idleChecks = 0; return; }
    var id = kernelId();
    if (!id) { idleChecks += 1; if (idleChecks > 8) { recover(); } return; }
    fetch(document.body.dataset.baseUrl.replace(/voila\/$/, "") + "room/api/kernel/" + id,
          {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s.alive || s.state === "idle") {
          idleChecks += 1;
          if (idleChecks >= 2 || !s.alive) { recover(); }
        } else {
          idleChecks = 0;
        }
      })
      .catch(function () { /* the server is busy: look again later */ });
  }
  var timer = setInterval(check, CHECK_MS);
  window.d4_watchdog = {check: check, finished: function () { return finished; }};
})();
