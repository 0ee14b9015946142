// Draws each <canvas data-standby-chart="ID" data-part="teams|months"> as stacked bars from the
// JSON the page embeds under that ID: {"teams": {"labels", "series": [{"label", "values"}]},
// "months": {...}} — callouts of this court's cases and assists for other courts.
(function () {
  if (!window.Chart) return;
  const colours = ["#9b1c1c", "#0d6efd"];
  document.querySelectorAll("canvas[data-standby-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.standbyChart);
    if (!source) return;
    const chart = JSON.parse(source.textContent)[canvas.dataset.part];
    if (!chart) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor: colours[index % colours.length],
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
