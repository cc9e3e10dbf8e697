// Fund dashboard: utilisation per bank over time (the data comes from a json_script tag).
(function () {
  const source = document.getElementById("utilisation-data");
  const canvas = document.getElementById("utilisation-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: data.datasets.map((set) => ({ ...set, spanGaps: true, tension: 0.2 })) },
    options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
  });
})();
