// Draws the dashboard's charts from data that the page embeds with json_script.
(function () {
  const data = document.getElementById("role-chart-data");
  const canvas = document.getElementById("role-chart");
  if (!data || !canvas || !window.Chart) return;
  const chart = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: "#9b1c1c" }] },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
