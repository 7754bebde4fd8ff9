// The live widgets take the snapshot's place.
//
// The server puts the participant's own work, drawn as static HTML, at the top of the page
// (#d4-snapshot; see digit4sd_widgets/serve/snapshot.py). Voila renders the live cells in
// #rendered_cells, which stays hidden behind the snapshot until every widget in it is drawn;
// then the two change places at once, at the same reading place. A page with no snapshot
// shows "Preparing your exercise..." until its cells are ready, as plain Voila does.
(function () {
  var WIDGET = "application/vnd.jupyter.widget-view+json";
  var GIVE_UP_MS = 30000;
  var expected = null, started = null, done = false;

  // plain words while the page arrives: no "Executing 7 of 14"
  window.voila_process = function () {};

  function cells() { return document.getElementById("rendered_cells"); }
  function snapshot() { return document.getElementById("d4-snapshot"); }

  function countExpected() {
    var n = 0, outs = document.querySelectorAll(
      '#rendered_cells script[type="application/vnd.voila.cell-output+json"]');
    for (var i = 0; i < outs.length; i++) {
      if (outs[i].textContent.indexOf(WIDGET) >= 0) { n += 1; }
    }
    return n;
  }
  function drawn() {
    // a widget output is drawn when its output area holds a widget's own element
    var n = 0, areas = document.querySelectorAll("#rendered_cells .jp-OutputArea-output");
    for (var i = 0; i < areas.length; i++) {
      if (areas[i].querySelector(".widget-container, .widget-html, .widget-inline-hbox, " +
                                 ".jupyter-widgets.widget-box")) { n += 1; }
    }
    return n;
  }
  function reveal() {
    if (done) { return; }
    done = true;
    var live = cells(), snap = snapshot(), y = window.scrollY;
    var loading = document.getElementById("loading");
    if (loading) { loading.parentNode.removeChild(loading); }
    if (live) { live.classList.remove("d4-behind"); live.style.display = ""; }
    if (snap) {
      snap.parentNode.removeChild(snap);
      // the live cells scroll in their own panel: keep the participant's reading place
      if (live && live.scrollHeight > live.clientHeight) { live.scrollTop = y; }
      else { window.scrollTo(0, y); }
    }
    document.body.setAttribute("data-d4-live", "1");
  }
  function watch() {
    if (done) { return; }
    if (drawn() >= expected || Date.now() - started > GIVE_UP_MS) { reveal(); return; }
    window.setTimeout(watch, 50);
  }
  window.d4_reveal = reveal;

  // Voila calls voila_finish at the end of the page and again once its theme is loaded
  window.display_cells = function () {
    if (expected === null) { expected = countExpected(); }
    if (!window.themeLoaded) { window.cellLoaded = true; return; }
    var live = cells();
    if (!snapshot() || expected === 0) { reveal(); return; }
    if (live) { live.classList.add("d4-behind"); live.style.display = ""; }
    if (started === null) { started = Date.now(); watch(); }
  };
  window.voila_finish = window.display_cells;
})();
