// Draws every <canvas data-bar-chart="ID"> as a Chart.js bar chart from the JSON that the page
// embeds with json_script under that ID ({"labels": [...], "values": [...]}).
// data-horizontal on the canvas lays the bars out sideways (long labels, e.g. role names).
(function () {
  if (!window.Chart) return;
  document.querySelectorAll("canvas[data-bar-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.barChart);
    if (!source) return;
    const chart = JSON.parse(source.textContent);
    const horizontal = "horizontal" in canvas.dataset;
    const valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: "#9b1c1c" }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: valueAxis } : { y: valueAxis },
      },
    });
  });
})();
