// Forms marked data-retry (the operator console's save) are sent with fetch. On a network error, or a 502/503/504
// while the database restarts, the same form — with the same one-time submission token — is sent again after a
// pause (Retry-After when the server gives one), at most five times; the server creates the ticket once
// (core/idempotency.py). Once the server has answered, the form is posted once more the plain way (same token,
// nothing created twice) so the browser shows the ticket page, or the form with its errors; after retries the
// ticket page says “已提交过，显示的是已创建的内容”. The operator reads what happens in the form's status line;
// what was typed stays in the form.
// Without JavaScript the form posts as usual and its token still keeps a resend from creating twice.
(function () {
  "use strict";
  var DELAYS = [1000, 2000, 4000, 8000, 15000];  // ms before retry 1…5

  function statusLine(form, text, kind) {
    var box = form.querySelector("[data-retry-status]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-retry-status", "");
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      form.appendChild(box);
    }
    box.className = "alert mt-3 mb-0 alert-" + kind;
    box.textContent = text;
  }

  function resendNatively(form, quiet) {
    // the page itself comes from a plain post of the same form (same token): the saved ticket's page, or the form
    // again with the errors. The answer this script saw already left its message for that page (“已受理 …”, or
    // “已提交过 …” when a lost try had saved it), so the plain post adds none (submission_seen).
    if (quiet) {
      var seen = document.createElement("input");
      seen.type = "hidden";
      seen.name = "submission_seen";
      seen.value = "1";
      form.appendChild(seen);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function giveUp(form, button, tries) {
    delete form.dataset.sending;
    if (button) { button.disabled = false; }
    statusLine(form, "网络或服务器仍不可用：已自动重试 " + tries + " 次，工单尚未确认保存。填写的内容仍在本页，" +
               "请稍后再按“保存”——用的是同一提交编号，即使之前已保存也不会重复建单。", "danger");
  }

  function send(form, button, attempt) {
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 502 || response.status === 503 || response.status === 504) {
          throw { retryAfter: parseInt(response.headers.get("Retry-After") || "0", 10) };
        }
        // a redirect (type "opaqueredirect") means saved; anything else is a page to show (errors)
        var saved = response.type === "opaqueredirect";
        statusLine(form, saved ? "已保存，正在打开工单……" : "服务器已答复，正在显示……", saved ? "success" : "info");
        resendNatively(form, saved);
      })
      .catch(function (err) {
        if (attempt >= DELAYS.length) { giveUp(form, button, attempt); return; }
        var wait = Math.max(DELAYS[attempt], ((err && err.retryAfter) || 0) * 1000);
        statusLine(form, (err && err.retryAfter !== undefined ? "服务器暂时不可用" : "保存时网络中断") + "，" +
                   Math.round(wait / 1000) + " 秒后用同一提交编号自动重试（第 " + (attempt + 1) + " 次，共 " +
                   DELAYS.length + " 次；不会重复建单）……", "warning");
        setTimeout(function () { send(form, button, attempt + 1); }, wait);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-retry]") || !window.fetch ||
        !form.querySelector("input[name=submission_token]")) { return; }
    event.preventDefault();
    if (form.dataset.sending) { return; }  // a second click or Ctrl+Enter while the first is on its way
    form.dataset.sending = "1";
    var button = event.submitter || form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    statusLine(form, "正在保存……", "info");
    send(form, button, 0);
  });
})();
