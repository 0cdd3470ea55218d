// Unsaved work is not lost by leaving the page: a form marked data-mc-guard warns before the
// browser leaves it (another tab, a link, closing) when it holds changes not saved yet, either
// typed here or carried in by the server (data-unsaved). Posting the form itself never warns.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-mc-guard]"));
  if (!forms.length) { return; }

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") { parts.push(name + "=" + (typeof value === "string" ? value : value.name)); }
    });
    return parts.join("&");
  }

  var initial = forms.map(snapshot);
  var leaving = false;
  forms.forEach(function (form) {
    form.addEventListener("submit", function () { leaving = true; });
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    var dirty = forms.some(function (form, i) {
      return form.hasAttribute("data-unsaved") || snapshot(form) !== initial[i];
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own "leave the page?" question
    }
  });
}());
