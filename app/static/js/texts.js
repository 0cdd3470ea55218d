// A new notification text starts from the built-in text of the chosen event, channel and
// language; changing the choice swaps it in as long as the administrator has not edited it.
(function () {
  "use strict";
  var form = document.getElementById("mc-text-form");
  var data = document.getElementById("mc-default-texts");
  if (!form || !data || !form.hasAttribute("data-new-text")) { return; }
  var defaults = JSON.parse(data.textContent);
  var subject = form.elements.subject, body = form.elements.body;

  function chosen() {
    var event = defaults[form.elements.event.value] || {};
    var channel = event[form.elements.channel.value] || {};
    return channel[form.elements.locale.value] || null;
  }

  var shown = chosen();
  function untouched() {
    return shown && subject.value === shown[0] && body.value === shown[1];
  }
  ["event", "channel", "locale"].forEach(function (name) {
    form.elements[name].addEventListener("change", function () {
      var next = chosen();
      if (next && (untouched() || (!subject.value && !body.value))) {
        subject.value = next[0];
        body.value = next[1];
      }
      shown = next;
    });
  });
}());
