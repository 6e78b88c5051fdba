// 插入模板 on the reply form (requests_module/reply_templates.py): with script, the button adds the chosen outcome's
// standard text to the reply text box (and the legal ground when it is empty) without a round trip; without
// script the same button submits the form and the server refills it with the template inserted.
(function () {
  var button = document.getElementById("reply-template-insert");
  if (!button) return;
  var templates;
  try { templates = JSON.parse(button.getAttribute("data-templates")); } catch (e) { return; }
  var form = button.form;
  button.addEventListener("click", function (event) {
    var outcome = form.querySelector('[name="outcome"]');
    var chosen = outcome && templates[outcome.value];
    if (!chosen) return; // no outcome chosen: let the server say so
    var template = chosen.text;
    if (chosen.cases) { // worded per 情形 (公开的情形 / 不掌握的情形)
      var caseField = form.querySelector('[name="' + chosen.field + '"]');
      template = caseField && chosen.cases[caseField.value];
      if (!template) return; // no 情形 chosen: let the server say so
    }
    event.preventDefault();
    var text = form.querySelector('[name="text"]');
    var typed = text.value.replace(/\s+$/, "");
    if (typed.indexOf(template) === -1) text.value = typed ? typed + "\n" + template : template;
    var ground = form.querySelector('[name="legal_ground"]');
    if (ground && !ground.value.trim() && chosen.ground) ground.value = chosen.ground;
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.focus();
    var status = document.getElementById("reply-template-help");
    if (status) status.textContent = "已插入“" + outcome.options[outcome.selectedIndex].text + "”的标准文本，请按实际情况修改。";
  });
})();
