// Ticket page (issue 16 item 9): "插入答复" puts a knowledge-base answer into the 直接办结 text area.
// Without JavaScript the buttons stay hidden and the answers can be copied by hand.
(function () {
  function reveal() {
    document.querySelectorAll("[data-kb-insert][hidden]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-insert]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-kb-insert"));
    var target = document.getElementById(button.getAttribute("data-kb-target"));
    if (!source || !target) { return; }
    target.value = source.textContent.trim();
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
    var status = document.getElementById("kb-status");
    if (status) { status.textContent = "已插入答复，可修改后点“直接办结”提交。"; }
  });
  document.addEventListener("htmx:afterSwap", reveal);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", reveal); } else { reveal(); }
})();
