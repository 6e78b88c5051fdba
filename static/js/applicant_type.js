// The organisation's own fields (组织类型, 联系人) are shown only once 法人或其他组织 is chosen; without this
// script they stay visible as their own labelled group. Switching type never clears what was typed.
(function () {
  "use strict";
  function setUp() {
    var group = document.querySelector(".org-fields");
    var radios = document.querySelectorAll('input[name="applicant_type"]');
    if (!group || !radios.length) { return; }
    var idType = document.getElementById("id_type");
    function chosen() {
      for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return radios[i].value; } }
      return "";
    }
    function apply(changed) {
      var org = chosen() === "org";
      group.hidden = !org;
      if (changed && idType) {  // the organisation's 统一社会信用代码, the person's 居民身份证 — a suggestion only
        if (org && idType.value === "resident_id") { idType.value = "uscc"; }
        if (!org && idType.value === "uscc") { idType.value = "resident_id"; }
      }
    }
    for (var i = 0; i < radios.length; i++) {
      radios[i].addEventListener("change", function () { apply(true); });
    }
    apply(false);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
