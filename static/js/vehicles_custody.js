// Draws <canvas data-lot-chart="ID"> as stacked bars per lot — vehicles in custody and free
// bays — from the JSON the custody overview embeds under that ID.
(function () {
  if (!window.Chart) return;
  document.querySelectorAll("canvas[data-lot-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.lotChart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.occupied_label, data: data.occupancy, backgroundColor: "#9b1c1c" },
          { label: data.free_label, data: data.free, backgroundColor: "#adb5bd" },
        ],
      },
      options: {
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
