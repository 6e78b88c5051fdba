// Operator console: Ctrl+Enter (or Cmd+Enter) saves from anywhere in the form, including the text areas.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    var form = document.getElementById("console-form");
    if (form) { event.preventDefault(); form.requestSubmit(); }
  }
});
