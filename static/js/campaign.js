// Draws a campaign's four figures from the data the page embeds with json_script.
(function () {
  const data = document.getElementById("campaign-chart-data");
  const canvas = document.getElementById("campaign-chart");
  if (!data || !canvas || !window.Chart) return;
  const chart = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: "#9b1c1c" }] },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
