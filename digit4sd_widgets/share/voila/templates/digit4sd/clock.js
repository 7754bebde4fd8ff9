// The breakout countdown and the way to the participant's group, in the room's bar.
//
// The room server says whether a breakout countdown runs and how many seconds are left
// (room/api/clock, a small JSON answer, asked again every 15 seconds: a countdown the host
// starts appears without a reload). The page counts down by itself in between, from the
// server's figure (a laptop's own clock may be wrong). A participant who is in a group of
// the breakout gets a link to the group's work. Screen readers hear the time at 5 minutes,
// at 1 minute and at the end, not every second. Where there is no room server (the same
// template on a Hub), it stops asking. Its words come from the page, in the page's language:
// the clock's data-t-* attributes ("{label}: {time} left", ...), written by the server.
(function () {
  'use strict';
  var clock = document.getElementById('d4-clock');
  if (!clock || clock.getAttribute('data-d4-started')) { return; }
  clock.setAttribute('data-d4-started', '1');
  var base = clock.getAttribute('data-base') || '/';
  var link = document.getElementById('d4-grouplink');
  var say = document.getElementById('d4-clock-say');
  var ends = null, label = '', told = {};
  function text(key, values) {
    var out = clock.getAttribute('data-t-' + key) || '{label} {time}{group}';
    return out.replace(/\{(label|time|group)\}/g, function (all, name) {
      return values[name] === undefined ? '' : String(values[name]);
    });
  }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function words(left) {
    if (left <= 0) { return text('up', {label: label}); }
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    return text('left', {label: label, time: (h ? h + ':' + two(m) : m) + ':' + two(s)});
  }
  function tell(key, text) {
    if (say && !told[key]) { told[key] = true; say.textContent = text; }
  }
  function tick() {
    if (ends === null) { clock.hidden = true; return; }
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    clock.hidden = false;
    clock.textContent = words(left);
    if (left <= 0) { tell('end', text('up', {label: label})); }
    else if (left <= 60) { tell('1', text('one', {label: label})); }
    else if (left <= 300) { tell('5', text('five', {label: label})); }
  }
  function load() {
    fetch(base + 'room/api/clock', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) {
        if (r.status === 404) { clearInterval(asking); }  // no room here
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!s) { return; }
        if (s.running) {
          var fresh = Date.now() + s.remaining * 1000;
          if (ends === null || Math.abs(fresh - ends) > 2000 || label !== s.label) {
            if (ends === null || fresh - ends > 2000) { told = {}; }
            ends = fresh;
          }
          label = s.label;
        } else {
          ends = null;
        }
        if (link) {
          if (s.group) {
            link.hidden = false;
            link.textContent = text('group', {group: s.group});
          } else {
            link.hidden = true;
          }
        }
        tick();
      })
      .catch(function () { /* the server is busy: ask again later */ });
  }
  var asking = setInterval(load, 15000);
  load();
  setInterval(tick, 1000);
})();
