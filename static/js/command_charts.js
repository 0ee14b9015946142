// Draws every <canvas data-command-chart="ID"> of the command centre as a Chart.js chart from the
// JSON the page embeds with json_script under that ID:
// {"kind": "bar"|"line", "labels": [...], "series": [{"label", "unit", "values"}]}.
// Money comes in yuan; each unit gets its own axis (the first on the left, others on the right).
(function () {
  "use strict";
  if (!window.Chart) return;
  var COLOURS = ["#9b1c1c", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  var money = new Intl.NumberFormat(document.documentElement.lang || "zh-CN", { style: "currency", currency: "CNY" });
  function tick(unit) {
    return function (value) {
      if (unit === "money") return money.format(value);
      if (unit === "percent") return value + "%";
      return value;
    };
  }
  document.querySelectorAll("canvas[data-command-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.commandChart);
    if (!source) return;
    var chart = JSON.parse(source.textContent);
    var scales = {};
    var units = [];
    var datasets = chart.series.map(function (series, index) {
      if (units.indexOf(series.unit) < 0) {
        units.push(series.unit);
        scales[series.unit] = {
          position: units.length === 1 ? "left" : "right",
          beginAtZero: true,
          grid: { drawOnChartArea: units.length === 1 },
          ticks: { precision: series.unit === "count" ? 0 : undefined, callback: tick(series.unit) },
        };
      }
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: series.label,
        data: series.values,
        yAxisID: series.unit,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: true,
      };
    });
    new Chart(canvas, {
      type: chart.kind === "line" ? "line" : "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: datasets.length > 1 } },
        scales: scales,
      },
    });
  });
})();
