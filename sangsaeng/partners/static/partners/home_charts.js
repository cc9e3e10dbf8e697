// Host dashboard charts (Chart.js, served by the app). Without scripts the tables with bars remain;
// with them the tables are kept for screen readers only.
(function () {
  "use strict";
  var source = document.getElementById("partner-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colour = getComputedStyle(document.documentElement).getPropertyValue("--bs-primary").trim() || "#0d6efd";
  document.querySelectorAll("canvas[data-partner-chart]").forEach(function (canvas) {
    var series = data[canvas.dataset.partnerChart];
    if (!series) {
      return;
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: series.title, data: series.counts, backgroundColor: colour }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.closest(".chart-wrap").classList.remove("d-none");
    var table = document.getElementById(canvas.dataset.fallback);
    if (table) {
      table.classList.add("visually-hidden");
    }
  });
})();
