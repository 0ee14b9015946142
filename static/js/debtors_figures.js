// Draws <canvas data-figures-chart="ID"> from the JSON the page embeds under that ID:
// {"labels": [...months], "series": [{"label", "values"}...], "rate": {"label", "values"}}.
// Counts are bars on the left axis; the inclusion rate (%) is a line on the right axis.
(function () {
  if (!window.Chart) return;
  const colours = ["#9b1c1c", "#6c757d", "#0d6efd", "#198754"];
  document.querySelectorAll("canvas[data-figures-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.figuresChart);
    if (!source) return;
    const chart = JSON.parse(source.textContent);
    const datasets = chart.series.map(function (series, index) {
      return {
        type: "bar",
        label: series.label,
        data: series.values,
        backgroundColor: colours[index % colours.length],
        yAxisID: "count",
      };
    });
    datasets.push({
      type: "line",
      label: chart.rate.label,
      data: chart.rate.values,
      borderColor: "#fd7e14",
      backgroundColor: "#fd7e14",
      spanGaps: true,
      yAxisID: "rate",
    });
    new Chart(canvas, {
      data: { labels: chart.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        scales: {
          count: { position: "left", beginAtZero: true, ticks: { precision: 0 } },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    });
  });
})();
