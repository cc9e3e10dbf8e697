// Overseas reports: one bar chart from a json_script tag ({labels, values, label}); the table beside it
// holds the same numbers for screen readers and when scripts do not run.
(function () {
  const source = document.getElementById("overseas-chart-data");
  const canvas = document.getElementById("overseas-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.labels.length) return;
  canvas.closest(".chart-box").classList.remove("d-none");
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: data.label, data: data.values }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } } },
  });
})();
