/* The waiting-hall display: polls the calls every few seconds (reconnecting with back-off
   after errors), highlights the newest call and, once enabled by a tap, speaks each new
   call with the browser's speech synthesis. Without JavaScript the page refreshes itself. */
"use strict";
(function () {
  var screen = document.getElementById("hall-screen");
  if (!screen) { return; }
  var url = screen.getAttribute("data-calls-url");
  var sayTemplate = screen.getAttribute("data-say") || "{number} {window}";
  var body = document.getElementById("hall-calls");
  var status = document.getElementById("hall-status");
  var speechButton = document.getElementById("hall-speech");
  var speak = false;
  var seen = {};
  var delay = 3000;
  var lang = document.documentElement.lang || "zh-Hans";

  Array.prototype.forEach.call(body.querySelectorAll("tr[data-id]"), function (row) {
    seen[row.getAttribute("data-id")] = row.getAttribute("data-calls");
  });

  if (speechButton) {
    if (!("speechSynthesis" in window)) { speechButton.hidden = true; }
    speechButton.addEventListener("click", function () {
      speak = !speak;
      speechButton.setAttribute("aria-pressed", speak ? "true" : "false");
      speechButton.classList.toggle("secondary", !speak);
    });
  }

  function announce(call) {
    if (!speak || !("speechSynthesis" in window)) { return; }
    var text = sayTemplate.replace("{number}", call.number.split("").join(" ")).replace("{window}", call.window);
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang.indexOf("zh") === 0 ? "zh-CN" : lang;
    window.speechSynthesis.speak(utterance);
  }

  function render(calls) {
    var rows = document.createDocumentFragment();
    calls.forEach(function (call, index) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", call.id);
      tr.setAttribute("data-calls", call.calls);
      if (index === 0) { tr.className = "hall-latest"; }
      var number = document.createElement("td");
      number.textContent = call.number;
      var windowCell = document.createElement("td");
      windowCell.textContent = call.window;
      tr.appendChild(number);
      tr.appendChild(windowCell);
      rows.appendChild(tr);
    });
    if (calls.length) {
      body.replaceChildren(rows);
    }
    calls.slice().reverse().forEach(function (call) {
      var key = String(call.id);
      if (seen[key] !== String(call.calls)) {
        seen[key] = String(call.calls);
        announce(call);
      }
    });
  }

  function poll() {
    fetch(url, { cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        render(data.calls);
        status.textContent = "";
        delay = 3000;
      })
      .catch(function () {
        status.textContent = "…";
        delay = Math.min(delay * 2, 30000);
      })
      .finally(function () { window.setTimeout(poll, delay); });
  }
  window.setTimeout(poll, delay);
})();
