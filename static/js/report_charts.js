// Report charts, drawn from the data each page embeds as JSON (no inline script, no second request);
// the tables on the same pages carry every number.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }
  // every chart's value axis is a count: whole numbers only (no 0.5 tickets), from zero
  function countAxis(stacked) {
    return {stacked: !!stacked, beginAtZero: true, ticks: {precision: 0}};
  }
  function chart(id, type, labels, datasets, stacked) {
    var el = document.getElementById(id);
    if (!el) { return; }
    if (!labels.length) {  // nothing in the period: say so instead of an empty white box
      var none = document.createElement("p");
      none.className = "text-muted small chart-empty";
      none.textContent = "暂无数据";
      el.replaceWith(none);
      return;
    }
    new Chart(el, {type: type, data: {labels: labels, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false,
        plugins: {legend: {display: datasets.length > 1}},
        scales: {x: {stacked: !!stacked}, y: countAxis(stacked)}}});
  }
  function bar(id, rows, label, value, type) {
    var el = document.getElementById(id);
    if (!el) { return; }
    chart(id, type || "bar", rows.map(label), [{label: el.getAttribute("aria-label"), data: rows.map(value)}]);
  }
  function count(r) { return r.count; }
  function label(r) { return r.label; }

  var h = data("hotline-data");
  if (h) {
    bar("chart-day", h.by_day, function (r) { return r.day.slice(5); }, count, "line");
    bar("chart-type", h.by_type, label, count);
    bar("chart-category", h.by_category.slice(0, 10), label, count);
    bar("chart-channel", h.by_channel, label, count);
  }
  var d = data("disclosure-data");
  if (d) {
    chart("chart-months", "bar", d.by_month.map(function (r) { return r.month; }),
      d.groups.map(function (g) { return {label: g, data: d.by_month.map(function (r) { return r[g]; })}; }), true);
    chart("chart-open", "bar", d.open.map(function (r) { return r.department; }),
      d.urgencies.map(function (u) { return {label: u.label, data: d.open.map(function (r) { return r[u.key]; })}; }),
      true);
  }
})();
