// Start Voila's front end as soon as the page is parsed, not at the window's "load" event.
//
// Voila's entry script waits for "load", which also waits for every image, font and script
// still downloading before the kernel connection even opens. Its work needs only the parsed
// page, so a "load" listener runs as soon as the page is parsed (at once if it already is).
// Other events are left as they are.
(function () {
  var add = window.addEventListener;
  function run(listener) { listener.call(window, new Event("load")); }
  window.addEventListener = function (type, listener, options) {
    if (type === "load" && typeof listener === "function" && !window.d4_loaded) {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () { run(listener); });
      } else {
        window.setTimeout(function () { run(listener); }, 0);
      }
      return undefined;
    }
    return add.call(window, type, listener, options);
  };
  add.call(window, "load", function () {
    window.d4_loaded = true;
    window.addEventListener = add;
  });
})();
