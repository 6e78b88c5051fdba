// Operator console (issue 16 item 9).
// Ctrl+Enter (or Cmd+Enter) saves from anywhere in the form, including the text areas.
// Enter in the category field never saves: it picks the first (or only) category matching what was typed
// (a code, a code prefix or a name fragment, as hotline/console_form.py matches on the server), announces it
// in the field's aria-live status and moves the focus on to the next field.
(function () {
  function clean(text) {
    return (text || "").normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function matches(typed, labels) {
    if (!typed) { return []; }
    var exact = labels.filter(function (l) {
      var code = l.split(" ")[0];
      return typed === l.toLowerCase() || typed === code || typed === l.slice(code.length + 1).toLowerCase();
    });
    if (exact.length) { return exact.slice(0, 1); }
    if (/^\d+$/.test(typed)) {
      var byCode = labels.filter(function (l) { return l.indexOf(typed) === 0; });
      if (byCode.length) { return byCode; }
    }
    return labels.filter(function (l) { return l.toLowerCase().indexOf(typed) !== -1; });
  }

  function nextField(field) {
    var items = Array.prototype.filter.call(field.form.elements, function (el) {
      return !el.disabled && el.type !== "hidden" && el.tabIndex >= 0 && el.offsetParent !== null;
    });
    return items[items.indexOf(field) + 1];
  }

  function pick(field) {
    var status = document.getElementById(field.getAttribute("aria-describedby"));
    var list = document.getElementById(field.getAttribute("list"));
    var labels = Array.prototype.map.call(list ? list.options : [], function (o) { return o.value; });
    var typed = clean(field.value);
    var found = matches(typed, labels);
    var synonyms = {};
    try { synonyms = JSON.parse(field.getAttribute("data-synonyms") || "{}"); } catch (e) { synonyms = {}; }
    Object.keys(synonyms).some(function (word) {  // everyday words as the catalogue's (hotline/catalogue.py)
      if (found.length || typed.indexOf(word) === -1) { return found.length > 0; }
      found = matches(typed.split(word).join(synonyms[word]), labels);
      if (!found.length) { found = matches(synonyms[word], labels); }
      return found.length > 0;
    });
    if (!found.length) {
      status.textContent = typed ? "没有与“" + field.value.trim() + "”匹配的分类，请换个关键字" : "请输入分类代码或名称";
      field.classList.add("is-invalid");
      return;
    }
    field.value = found[0];
    field.classList.remove("is-invalid");
    status.textContent = "已选定分类：" + found[0] + (found.length > 1 ? "（共 " + found.length + " 个匹配，取第一个）" : "");
    field.dispatchEvent(new Event("change", { bubbles: true }));  // the live suggestions follow the category
    var next = nextField(field);
    if (next) { next.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || event.keyCode === 229) { return; }  // IME confirms text
    if (event.ctrlKey || event.metaKey) {
      var form = document.getElementById("console-form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-pick-category")) {
      event.preventDefault();
      // read the value after the browser's own suggestion list (datalist) has filled it in
      setTimeout(function () { pick(field); }, 0);
    }
  });
})();
