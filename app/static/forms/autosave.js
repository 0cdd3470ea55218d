/* Keep what the citizen types in this tab until the server has saved it.
 * A form with data-autosave="<key>" and data-autosave-version="<dossier version>" is copied to
 * sessionStorage on every change. On load the copy is put back only if the dossier's version is
 * still the one it was typed against: the server never saved it (e.g. the session had expired
 * and the post went to the login page). Once the server saves, the version moves on and the
 * copy is dropped. */
(function () {
  "use strict";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name.charAt(0) !== "_" &&
        ["file", "password", "submit", "button", "hidden"].indexOf(el.type) < 0;
    });
  }
  function isChoice(el) { return el.type === "checkbox" || el.type === "radio"; }
  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (isChoice(el)) { values[el.name + "\u0000" + el.value] = el.checked; }
      else { values[el.name] = el.value; }
    });
    return values;
  }
  function restore(form, values) {
    fields(form).forEach(function (el) {
      var key = isChoice(el) ? el.name + "\u0000" + el.value : el.name;
      if (!(key in values)) { return; }
      if (isChoice(el)) { el.checked = values[key]; } else { el.value = values[key]; }
      // A list filled later (the unit picker's communes) takes the value once its options arrive.
      if (el.tagName === "SELECT" && el.value !== values[key]) { el.dataset.mcfWanted = values[key]; }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  function init() {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var key = "motcua:" + form.getAttribute("data-autosave");
      var version = form.getAttribute("data-autosave-version") || "";
      try {
        var stored = JSON.parse(window.sessionStorage.getItem(key) || "null");
        if (stored && stored.version === version) { restore(form, stored.values); }
        else if (stored) { window.sessionStorage.removeItem(key); }
      } catch (e) { return; }  // storage disabled: the server-side draft still holds each step
      var save = function () {
        try {
          window.sessionStorage.setItem(key, JSON.stringify({ version: version, values: snapshot(form) }));
        } catch (e) { /* quota or privacy mode: nothing more to do */ }
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
