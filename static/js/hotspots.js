// 热点预警 pages (templates/hotline/hotspots.html, hotspot.html): the clusters over time as a line chart and their
// places on a map, both from the JSON the page embeds (no inline script). With a tile server configured the map is
// Leaflet's; without one, a plain plot of longitude and latitude (Chart.js). Texts are set as text, never as HTML.
(function () {
  "use strict";
  var source = document.getElementById("hotspot-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var COLOURS = ["#0a58ca", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"];

  function empty(el, text) {
    var none = document.createElement("p");
    none.className = "text-muted small chart-empty p-2 mb-0";
    none.textContent = text;
    el.replaceWith(none);
  }

  function drawChart() {
    var el = document.getElementById("hotspot-chart");
    if (!el || typeof Chart === "undefined") { return; }
    var series = data.chart.series;
    if (!series.length) { empty(el, "暂无热点"); return; }
    new Chart(el, {
      type: "line",
      data: {
        labels: data.chart.days.map(function (d) { return d.slice(5); }),
        datasets: series.map(function (s, i) {
          return {label: s.label, data: s.counts, borderColor: COLOURS[i % COLOURS.length],
                  backgroundColor: COLOURS[i % COLOURS.length], tension: 0.2, pointRadius: 2};
        })
      },
      options: {responsive: true, maintainAspectRatio: false,
                plugins: {legend: {display: true, position: "bottom", labels: {boxWidth: 12}}},
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
  }

  function popup(p) {
    var link = document.createElement("a");
    link.href = p.href;
    link.textContent = p.label + (p.count > 1 ? "（" + p.count + " 件）" : "");
    return link;
  }

  function escaped(text) {  // Leaflet writes an attribution as HTML: the configured credit line is text
    var holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function leafletMap(box, points) {
    var map = L.map(box, {scrollWheelZoom: false});
    L.tileLayer(box.getAttribute("data-tile-url"), {
      maxZoom: 19, attribution: escaped(box.getAttribute("data-attribution") || "")
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {radius: Math.min(6 + 2 * Math.sqrt(p.count), 20),
                                                    color: "#dc3545", weight: 2, fillOpacity: 0.4});
      var tip = document.createElement("span");  // an element, not a string: Leaflet would read a string as HTML
      tip.textContent = p.label;
      marker.bindPopup(popup(p)).bindTooltip(tip);
      marker.addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    map.fitBounds(bounds, {padding: [24, 24], maxZoom: 16});
  }

  function coordinatePlot(canvas, points) {
    if (typeof Chart === "undefined") { return; }
    var chart = new Chart(canvas, {
      type: "bubble",
      data: {datasets: [{label: "热点", backgroundColor: "rgba(220, 53, 69, 0.4)", borderColor: "#dc3545",
                         data: points.map(function (p) {
                           return {x: p.lng, y: p.lat, r: Math.min(4 + 2 * Math.sqrt(p.count), 18), p: p};
                         })}]},
      options: {responsive: true, maintainAspectRatio: false,
                plugins: {legend: {display: false},
                          tooltip: {callbacks: {label: function (c) {
                            var p = c.raw.p;
                            return p.label + (p.count > 1 ? "（" + p.count + " 件）" : "") + " " + p.lat.toFixed(4) +
                              ", " + p.lng.toFixed(4);
                          }}}},
                scales: {x: {title: {display: true, text: "经度"}}, y: {title: {display: true, text: "纬度"}}},
                onClick: function (event, elements) {
                  if (elements.length) { window.location.href = chart.data.datasets[0].data[elements[0].index].p.href; }
                }}
    });
  }

  function drawMap() {
    var box = document.getElementById("hotspot-map");
    if (!box) { return; }
    var points = data.points;
    var canvas = document.getElementById("hotspot-plot");
    if (!points.length) { empty(box, "暂无带坐标的位置"); return; }
    if (box.getAttribute("data-tile-url") && typeof L !== "undefined") {
      canvas.remove();
      leafletMap(box, points);
    } else {
      canvas.hidden = false;
      coordinatePlot(canvas, points);
    }
  }

  drawChart();
  drawMap();
})();
