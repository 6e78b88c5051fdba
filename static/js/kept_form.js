// Puts what the user typed back into the form whose action was refused (hotline ticket page): the server
// answers the refused POST with the page and a JSON blob {action, fields}; nothing typed is lost.
(function () {
  var blob = document.getElementById("kept-form");
  if (!blob) return;
  var kept;
  try { kept = JSON.parse(blob.textContent); } catch (e) { return; }
  var forms = document.querySelectorAll("form[action]");
  var form = null;
  for (var i = 0; i < forms.length; i++) {
    var action = forms[i].getAttribute("action");
    if (action.slice(-(kept.action.length + 1)) === "/" + kept.action) { form = forms[i]; break; }
  }
  if (!form) return;
  var first = null;
  Object.keys(kept.fields).forEach(function (name) {
    var values = kept.fields[name];
    var elements = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
    elements.forEach(function (el) {
      if (el.type === "hidden") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT") {
        for (var j = 0; j < el.options.length; j++) el.options[j].selected = values.indexOf(el.options[j].value) !== -1;
      } else {
        el.value = values[0] || "";
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
      if (!first) first = el;
    });
  });
  form.scrollIntoView({ block: "center" });
  if (first) first.focus();
})();
