// 协办部门 picker on the ticket page (issue 16 item 9): the filter box narrows the checkbox list, the
// chosen departments show as chips (a button each removes it) and a live count. The checkboxes stay the
// form's real inputs (name "co"), so the page works the same without this script.
(function () {
  function setUp(box) {
    var filter = box.querySelector("#co-filter");
    var chips = box.querySelector("#co-chips");
    var count = box.querySelector("#co-count");
    var none = box.querySelector("#co-none");
    var rows = Array.prototype.slice.call(box.querySelectorAll("[data-co-name]"));
    filter.hidden = false;

    function render() {
      chips.textContent = "";
      var chosen = rows.filter(function (r) { return r.querySelector("input").checked; });
      chosen.forEach(function (row) {
        var input = row.querySelector("input");
        var name = row.querySelector("label").textContent;
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "btn btn-sm btn-outline-primary py-0";
        chip.textContent = name + " ×";
        chip.setAttribute("aria-label", "移除协办部门 " + name);
        chip.addEventListener("click", function () {
          input.checked = false;
          render();
          (chips.querySelector("button") || filter).focus();
        });
        chips.appendChild(chip);
      });
      count.textContent = "已选 " + chosen.length + " 个协办部门" +
        (chosen.length ? "：" + chosen.map(function (r) { return r.querySelector("label").textContent; }).join("、") : "");
    }

    function narrow() {
      var typed = filter.value.normalize("NFKC").trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var hit = !typed || row.getAttribute("data-co-name").toLowerCase().indexOf(typed) !== -1;
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      none.hidden = shown > 0;
    }

    filter.addEventListener("input", narrow);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {  // never submit the 派单 form from the filter box
        event.preventDefault();
        var first = rows.filter(function (r) { return !r.hidden; })[0];
        if (first) { first.querySelector("input").focus(); }
      } else if (event.key === "Escape") {
        filter.value = "";
        narrow();
      }
    });
    box.addEventListener("change", function (event) {
      if (event.target.name === "co") { render(); }
    });
    render();
  }
  function init() {
    document.querySelectorAll("[data-co-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
