// "打印本页" buttons (data-print): the page's print layout is in static/css/app.css (@media print).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
