// Ledger chart on the R&D dashboard: budget, committed and paid per fund year.
(function () {
  const data = JSON.parse(document.getElementById("ledger-data").textContent);
  const canvas = document.getElementById("ledger-chart");
  if (!canvas || !window.Chart || !data.length) return;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.map((row) => row.label),
      datasets: [
        { label: "budget", data: data.map((row) => row.budget) },
        { label: "committed", data: data.map((row) => row.committed) },
        { label: "paid", data: data.map((row) => row.paid) },
      ],
    },
  });
})();
