// The big screen's clock (指挥大屏): the local time, ticking every second. htmx refreshes the tiles.
(function () {
  "use strict";
  var clock = document.getElementById("cc-clock");
  if (!clock) return;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = new Date();
    clock.textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
      " " + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
    clock.setAttribute("datetime", now.toISOString());
  }
  tick();
  window.setInterval(tick, 1000);
})();
