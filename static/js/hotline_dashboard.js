// Hotline dashboard charts: drawn from the same JSON as the page's tables (no inline script).
(function () {
  "use strict";
  var root = document.getElementById("hotline-dashboard");
  if (!root || typeof Chart === "undefined") { return; }
  fetch(root.dataset.json, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (d) {
      function bar(id, rows, label, value, type) {
        var el = document.getElementById(id);
        if (!el || !rows.length) { return; }
        new Chart(el, {type: type || "bar", data: {labels: rows.map(label),
          datasets: [{label: el.getAttribute("aria-label"), data: rows.map(value)}]},
          options: {responsive: true, maintainAspectRatio: false, plugins: {legend: {display: false}}}});
      }
      bar("chart-day", d.by_day, function (r) { return r.day.slice(5); }, function (r) { return r.count; }, "line");
      bar("chart-type", d.by_type, function (r) { return r.label; }, function (r) { return r.count; });
      bar("chart-category", d.by_category.slice(0, 10), function (r) { return r.label; }, function (r) { return r.count; });
      bar("chart-channel", d.by_channel, function (r) { return r.label; }, function (r) { return r.count; });
    })
    .catch(function () { /* the tables below carry the same numbers */ });
})();
