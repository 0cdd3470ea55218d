/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  // Selects marked data-autosubmit submit their form on change (unit picker, filters).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.id === "province" && select.form.unit) { select.form.unit.value = ""; }
      if (select.form.q && select.id === "province") { select.form.q.value = ""; }
      select.form.submit();
    });
  });
  // Province → communes without reloading the page (delivery address).
  document.querySelectorAll("select[data-communes]").forEach(function (province) {
    var commune = document.getElementById(province.getAttribute("data-communes"));
    if (!commune) { return; }
    province.addEventListener("change", function () {
      var first = commune.options[0] ? commune.options[0].cloneNode(true) : null;
      commune.innerHTML = "";
      if (first) { first.value = ""; commune.appendChild(first); }
      if (!province.value) { return; }
      fetch("/api/v1/units?parent=" + encodeURIComponent(province.value), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {result: []}; })
        .then(function (body) {
          (body.result || []).forEach(function (u) {
            var option = document.createElement("option");
            option.value = u.code; option.textContent = u.name; commune.appendChild(option);
          });
        });
    });
  });
  // A submit button marked data-once cannot be pressed twice (the server is idempotent anyway).
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
