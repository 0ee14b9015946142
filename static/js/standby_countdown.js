/* Live countdown to each callout's handover deadline: elements with data-deadline (ISO 8601)
   show "hh:mm:ss" left, or the time overdue in red once it has passed. */
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el) {
    var deadline = Date.parse(el.dataset.deadline);
    if (isNaN(deadline)) { return; }
    var left = Math.round((deadline - Date.now()) / 1000);
    var over = left < 0;
    var s = Math.abs(left);
    var text = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
    el.textContent = (over ? (el.dataset.overdueLabel || "-") + " " : "") + text;
    var row = el.closest("[data-callout-row]");
    el.classList.toggle("text-danger", over);
    el.classList.toggle("fw-bold", over || left < 3600);
    if (row) { row.classList.toggle("table-danger", over); }
  }
  function tick() { document.querySelectorAll("[data-deadline]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();
