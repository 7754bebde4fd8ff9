// What ipywidgets leaves out for screen readers, added as its widgets appear: a slider's
// handle named after its label, a toggle's pressed state, a group name for toggle buttons,
// and messages announced when they change (live regions).
(function () {
  'use strict';
  function labelOf(widget) {
    var label = widget.querySelector(':scope > .widget-label');
    return label ? label.textContent.trim() : '';
  }
  function fix() {
    // Voila moves the cells into its own shell: that becomes the page's main landmark
    var shell = document.querySelector('#main.jp-LabShell');
    var before = document.getElementById('d4-main');
    if (shell && shell.getAttribute('role') !== 'main') {
      shell.setAttribute('role', 'main');
      if (before) before.removeAttribute('role');
    }
    document.querySelectorAll('.widget-slider').forEach(function (w) {
      var name = labelOf(w);
      w.querySelectorAll('.noUi-handle').forEach(function (h) {
        if (name && h.getAttribute('aria-label') !== name) h.setAttribute('aria-label', name);
      });
    });
    document.querySelectorAll('.widget-toggle-buttons').forEach(function (w) {
      var group = w.querySelector(':scope > .widget-toggle-buttons');
      var name = labelOf(w);
      if (group && group.getAttribute('role') !== 'group') {
        group.setAttribute('role', 'group');
        if (name) group.setAttribute('aria-label', name);
      }
    });
    document.querySelectorAll('.widget-toggle-button').forEach(function (b) {
      var pressed = b.classList.contains('mod-active') ? 'true' : 'false';
      if (b.getAttribute('aria-pressed') !== pressed) b.setAttribute('aria-pressed', pressed);
    });
    document.querySelectorAll('.d4-message').forEach(function (m) {
      if (!m.hasAttribute('aria-live')) {
        m.setAttribute('role', 'status');
        m.setAttribute('aria-live', 'polite');
      }
    });
  }
  var queued = false;
  function later() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () { queued = false; fix(); });
  }
  new MutationObserver(later).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
  document.addEventListener('DOMContentLoaded', fix);
})();
