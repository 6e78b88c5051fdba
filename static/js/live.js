// Live pages (issue 20): one EventSource per page on /hotline/live (Server-Sent Events, core/live.py). The events
// carry ids only; what they concern is fetched through ordinary requests (htmx), as the user may see it.
// - "call" (the operator console): the screen-pop of a call ringing at the operator's extension is loaded into
//   #call-pop; when the call is answered at this extension, or "接听" is pressed, the intake form gets the caller's
//   number and the call's id (hidden call_id): saving the ticket links the call (hotline/cti_console.py).
// - "queue" (dispatch, callback and department queues): the list (#queue-list) reloads when a ticket arrived,
//   left or changed in it; an urgent arrival is outlined, announced, and beeps if the user opted in (WebAudio, no
//   sound file). After a reconnect the list reloads once, so that nothing missed meanwhile stays unseen.
// The page's scripts come before base.html loads htmx: start once the document (and htmx) is there.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("live");
  if (!root || !window.EventSource || !window.htmx) { return; }
  var status = document.getElementById("live-status");
  var announcer = document.getElementById("live-announce");
  var soundBox = document.getElementById("live-sound");
  var urgentArrivals = {};  // ticket id -> true: outlined on this page until it is left
  var audio = null, timer = null, opened = false;

  function say(text) { if (status) { status.textContent = text; } }
  function announce(text) { if (announcer) { announcer.textContent = text; } }
  function parse(text) { try { return JSON.parse(text); } catch (e) { return null; } }

  // ---- sound (opt-in, remembered in this browser)
  function ensureAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) { audio = new Context(); }
    if (audio && audio.state === "suspended") { audio.resume(); }
    return audio;
  }
  function beep() {
    if (!soundBox || !soundBox.checked) { return; }
    var ctx = ensureAudio();
    if (!ctx) { return; }
    [0, 0.3].forEach(function (at) {
      var tone = ctx.createOscillator(), gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.15;
      tone.connect(gain);
      gain.connect(ctx.destination);
      tone.start(ctx.currentTime + at);
      tone.stop(ctx.currentTime + at + 0.18);
    });
  }
  if (soundBox) {
    try { soundBox.checked = window.localStorage.getItem("gk-live-sound") === "1"; } catch (e) { /* private mode */ }
    soundBox.addEventListener("change", function () {
      try { window.localStorage.setItem("gk-live-sound", soundBox.checked ? "1" : "0"); } catch (e) { /* private mode */ }
      if (soundBox.checked) { ensureAudio(); beep(); }  // a user gesture: the browser lets the sound start
    });
    // a remembered choice needs one gesture on this page before the browser plays anything
    document.addEventListener("pointerdown", function () { if (soundBox.checked) { ensureAudio(); } }, { once: true });
    document.addEventListener("keydown", function () { if (soundBox.checked) { ensureAudio(); } }, { once: true });
  }

  // ---- live queues
  function list() { return document.getElementById("queue-list"); }
  function selectorOf(el) {
    if (!el || !el.getAttribute) { return null; }
    if (el.name) { return "[name=\"" + CSS.escape(el.name) + "\"][value=\"" + CSS.escape(el.value || "") + "\"]"; }
    if (el.getAttribute("href")) { return "a[href=\"" + CSS.escape(el.getAttribute("href")) + "\"]"; }
    return null;
  }
  var cues = [];  // urgent arrivals not yet announced
  function reload() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var cue = cues;
      cues = [];
      var el = list();
      if (!el) { return; }
      // what the user is doing in the list survives the reload: the ticked boxes and the focus
      var ticked = Array.prototype.map.call(el.querySelectorAll("input[type=checkbox]:checked"), selectorOf);
      var focus = el.contains(document.activeElement) ? selectorOf(document.activeElement) : null;
      htmx.ajax("GET", el.getAttribute("data-live-url"), { target: "#queue-list", swap: "outerHTML" }).then(function () {
        var fresh = list();
        if (!fresh) { return; }
        ticked.forEach(function (sel) { var box = sel && fresh.querySelector(sel); if (box) { box.checked = true; } });
        var again = focus && fresh.querySelector(focus);
        if (again) { again.focus(); }
        var arrived = [];
        Object.keys(urgentArrivals).forEach(function (id) {
          var row = fresh.querySelector("tr[data-ticket=\"" + CSS.escape(id) + "\"]");
          if (row) {
            row.classList.add("live-arrived");
            if (cue.indexOf(id) !== -1) { arrived.push(row.getAttribute("data-number")); }
          }
        });
        if (arrived.length) { announce("新到紧急工单：" + arrived.join("、")); beep(); }
      });
    }, 250);
  }
  function onQueue(data) {
    var el = list();
    if (!el || !data || !data.queues) { return; }
    var how = data.queues[el.getAttribute("data-live-queue")];
    if (!how) { return; }
    if (how === "arrived" && data.urgent) {
      urgentArrivals[String(data.ticket)] = true;
      cues.push(String(data.ticket));
    }
    reload();
  }

  // ---- the console's screen-pop
  var pop = document.getElementById("call-pop");
  function take(card) {
    if (!card) { return; }
    var phone = document.getElementById("caller_phone"), callId = document.getElementById("call_id");
    if (!phone || !callId) { return; }
    callId.value = card.getAttribute("data-call-id");
    if (card.getAttribute("data-phone")) {
      phone.value = card.getAttribute("data-phone");
      phone.dispatchEvent(new Event("change", { bubbles: true }));  // the caller's history below the form
    }
    var link = document.getElementById("call-link");
    document.getElementById("call-link-text").textContent =
      card.getAttribute("data-number") + "（呼叫标识 " + card.getAttribute("data-call-ref") + "）";
    link.hidden = false;
    announce("已接听来电 " + card.getAttribute("data-number") + "，受理单已填入来电号码");
    var next = document.getElementById("caller_name");
    if (next) { next.focus(); }
  }
  function onCall(data) {
    if (!pop || !data) { return; }
    var url = root.getAttribute("data-pop-url").replace(/\/0$/, "/" + encodeURIComponent(data.call));
    htmx.ajax("GET", url, { target: "#call-pop", swap: "innerHTML" }).then(function () {
      var card = pop.querySelector(".call-pop");
      if (!card) { return; }
      var number = card.getAttribute("data-number");
      if (data.event === "newCall") { announce("来电振铃：" + number); }
      if (data.event === "answer" && data.mine) { take(card); }
      if (data.event === "hangup") { announce("来电已挂断：" + number); }
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest && target.closest("[data-take-call]")) { take(target.closest(".call-pop")); }
    if (target.id === "call-unlink") {
      document.getElementById("call_id").value = "";
      document.getElementById("call-link").hidden = true;
      announce("已清除来电关联");
    }
  });

  // ---- the connection
  var source = new EventSource(root.getAttribute("data-url"));
  source.addEventListener("open", function () {
    say(opened ? "实时更新已重新连接" : "实时更新已连接");
    if (opened) { reload(); }  // events may have been missed while disconnected
    opened = true;
  });
  source.addEventListener("error", function () { say("实时更新已断开，正在重新连接…"); });
  source.addEventListener("call", function (event) { onCall(parse(event.data)); });
  source.addEventListener("queue", function (event) { onQueue(parse(event.data)); });
  window.addEventListener("pagehide", function () { source.close(); });
});
