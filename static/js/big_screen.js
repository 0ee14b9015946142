/* The big screen (曝光大屏): shows the published list a page at a time, turning the page every
 * `data-interval` seconds, and reloads the list from `data-url` every `data-refresh` seconds so
 * new listings appear and deleted ones vanish without reloading the page. No dependencies. */
(function () {
  "use strict";
  var screen = document.getElementById("big-screen");
  if (!screen) return;
  var body = document.getElementById("bs-rows");
  var table = document.getElementById("bs-table");
  var empty = document.getElementById("bs-empty");
  var indicator = document.getElementById("bs-page");
  var perPage = parseInt(screen.dataset.perPage, 10) || 8;
  var interval = (parseInt(screen.dataset.interval, 10) || 8) * 1000;
  var refresh = (parseInt(screen.dataset.refresh, 10) || 60) * 1000;
  var rows = JSON.parse(document.getElementById("bs-initial").textContent || "[]");
  var page = 0;

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text || "";
    if (className) td.className = className;
    return td;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(rows.length / perPage));
    if (page >= pages) page = 0;
    table.hidden = rows.length === 0;
    empty.hidden = rows.length !== 0;
    body.textContent = "";
    rows.slice(page * perPage, (page + 1) * perPage).forEach(function (row) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-testid", "debtor-row");
      var name = cell(row.name, "bs-name");
      if (row.legal_representative) {
        var rep = document.createElement("div");
        rep.className = "bs-small";
        rep.textContent = row.legal_representative;
        name.appendChild(rep);
      }
      tr.appendChild(name);
      tr.appendChild(cell(row.id_number));
      tr.appendChild(cell(row.case_number));
      tr.appendChild(cell(row.obligation, "bs-hide-sm bs-small"));
      tr.appendChild(cell(row.performance, "bs-hide-sm bs-small"));
      body.appendChild(tr);
    });
    indicator.textContent = page + 1 + " / " + pages;
    screen.dataset.page = String(page + 1);
  }

  function turn() {
    page += 1;
    render();
  }

  function reload() {
    fetch(screen.dataset.url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        rows = data.results || [];
        render();
      })
      .catch(function () { /* keep showing what we have; try again at the next refresh */ });
  }

  render();
  window.setInterval(turn, interval);
  window.setInterval(reload, refresh);
})();
