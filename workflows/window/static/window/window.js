/* The window's progressive enhancement: every page works without it.
   - print button of the document slot;
   - submit buttons disabled for a moment after a submit (the server's
     idempotency key is what really stops a double submit);
   - intake: applicant kind and agent panels, resident ID check with birth date
     and sex filled in (the same GB 11643 rule the server applies), "all received";
   - item chooser: filter as you type, Enter opens the first match, arrows move.
   Messages come from data- attributes rendered by the (translated) templates. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button:not([type=button])");
      // Disable after the browser has read the clicked button's name and value.
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = true; });
      }, 0);
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      }, 8000);
    });
  });

  // ------------------------------------------------------------ resident ID (GB 11643)
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function parseResidentId(raw, messages) {
    var number = raw.replace(/\s+/g, "").toUpperCase();
    if (number.length !== 18) {
      return { error: fill(messages.length, { n: number.length }) };
    }
    if (!/^\d{17}[\dX]$/.test(number)) { return { error: messages.chars }; }
    var total = 0;
    for (var i = 0; i < 17; i += 1) { total += Number(number[i]) * WEIGHTS[i]; }
    var expected = CHECK[total % 11];
    if (number[17] !== expected) {
      return { error: fill(messages.check, { expected: expected, actual: number[17] }) };
    }
    var digits = number.slice(6, 14);
    var y = Number(digits.slice(0, 4)), m = Number(digits.slice(4, 6)), d = Number(digits.slice(6, 8));
    var born = new Date(Date.UTC(y, m - 1, d));
    if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) {
      return { error: fill(messages.date, { digits: digits }) };
    }
    return {
      birth: digits.slice(0, 4) + "-" + digits.slice(4, 6) + "-" + digits.slice(6, 8),
      sex: Number(number[16]) % 2 ? "M" : "F"
    };
  }

  var intake = document.getElementById("intake-form");
  if (intake) {
    var data = intake.dataset;
    var messages = {
      length: data.msgLength, chars: data.msgChars, check: data.msgCheck,
      date: data.msgDate, ok: data.msgOk
    };
    var sexLabels = { M: data.sexM, F: data.sexF };

    var syncKind = function () {
      var checked = intake.querySelector("input[name='c-applicant_kind']:checked");
      var kind = checked ? checked.value : "person";
      intake.querySelectorAll("[data-kind-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-kind-panel") !== kind;
      });
    };
    intake.querySelectorAll("input[name='c-applicant_kind']").forEach(function (radio) {
      radio.addEventListener("change", syncKind);
    });
    syncKind();

    var agentBox = intake.querySelector("input[name='c-has_agent']");
    var agentPanel = intake.querySelector("[data-agent-panel]");
    if (agentBox && agentPanel) {
      var syncAgent = function () { agentPanel.hidden = !agentBox.checked; };
      agentBox.addEventListener("change", syncAgent);
      syncAgent();
    }

    var watchId = function (prefix) {
      var input = intake.querySelector("[name='" + prefix + "-id_number']");
      var type = intake.querySelector("[name='" + prefix + "-id_type']");
      var hint = intake.querySelector("[data-id-hint='" + prefix + "']");
      if (!input || !hint) { return; }
      var birth = intake.querySelector("[name='" + prefix + "-birth_date']");
      var sex = intake.querySelector("[name='" + prefix + "-sex']");
      // The server's own error for the submitted number is already shown under the
      // field: say nothing more until the clerk changes the number.
      var judged = input.closest(".field").querySelector(".errorlist") ? input.value : null;
      var check = function () {
        hint.textContent = "";
        hint.className = "id-hint";
        if ((type && type.value !== "resident_id") || !input.value.trim()) { return; }
        var stale = input.closest(".field").querySelector(".errorlist");
        if (judged !== null && input.value === judged) { return; }
        if (stale) { stale.hidden = true; }  // the live check now speaks for the field
        var result = parseResidentId(input.value, messages);
        if (result.error) {
          // Only complain once the clerk has typed 18 characters or left the field.
          if (input.value.replace(/\s+/g, "").length >= 18 || document.activeElement !== input) {
            hint.textContent = result.error;
            hint.className = "id-hint bad";
          }
          return;
        }
        if (birth) { birth.value = result.birth; }
        if (sex) { sex.value = result.sex; }
        hint.textContent = fill(messages.ok, { birth: result.birth, sex: sexLabels[result.sex] });
        hint.className = "id-hint ok";
      };
      input.addEventListener("input", check);
      input.addEventListener("blur", check);
      if (type) { type.addEventListener("change", check); }
      check();
    };
    watchId("p");
    watchId("a");

    var allReceived = intake.querySelector("[data-all-received]");
    if (allReceived) {
      allReceived.hidden = false;
      allReceived.addEventListener("click", function () {
        intake.querySelectorAll("[data-material-line] input[type=radio][value='received']")
          .forEach(function (radio) { radio.checked = true; });
      });
    }
  }

  // ------------------------------------------------------------ item chooser
  var filter = document.querySelector("[data-item-filter]");
  var list = document.querySelector("[data-item-list]");
  if (filter && list) {
    var visibleLinks = function () {
      return Array.prototype.filter.call(list.querySelectorAll("li a"), function (a) {
        return !a.closest("li").hidden && !a.closest("[data-group]").hidden;
      });
    };
    var apply = function () {
      var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll("[data-group]").forEach(function (group) {
        var any = false;
        group.querySelectorAll("li[data-search]").forEach(function (li) {
          var text = li.getAttribute("data-search").toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          li.hidden = !match;
          any = any || match;
          if (match) { shown += 1; }
        });
        group.hidden = !any;
      });
      var none = list.querySelector("[data-no-match]");
      if (none) { none.hidden = shown !== 0; }
    };
    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (event) {
      var links = visibleLinks();
      if (event.key === "Enter" && links.length) {
        event.preventDefault();
        window.location.href = links[0].href;
      } else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[0].focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
      var links = visibleLinks();
      var index = links.indexOf(document.activeElement);
      if (index === -1) { return; }
      event.preventDefault();
      var next = event.key === "ArrowDown" ? index + 1 : index - 1;
      if (next < 0) { filter.focus(); } else if (next < links.length) { links[next].focus(); }
    });
    apply();
  }
})();
