// Reloads a page that shows work in progress (an export being prepared) every few seconds, as
// <meta http-equiv="refresh"> did, but pauses while the visitor is using the page (focus in a field or
// link), so the reload never takes the page away from under a keyboard or screen reader user.
(function () {
  "use strict";
  var script = document.currentScript;
  var seconds = Number(script && script.dataset.seconds) || 5;
  function reloadWhenIdle() {
    var active = document.activeElement;
    if (active && active !== document.body && active.id !== "main") {
      window.setTimeout(reloadWhenIdle, seconds * 1000);
      return;
    }
    window.location.reload();
  }
  window.setTimeout(reloadWhenIdle, seconds * 1000);
})();
