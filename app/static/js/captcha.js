/* "Show another code" without reloading the page: what the citizen typed elsewhere stays put.
   Without JavaScript the same button posts the form, which comes back filled in. */
(function () {
  "use strict";
  document.querySelectorAll("[data-captcha]").forEach(function (box) {
    var button = box.querySelector(".captcha-refresh");
    if (!button || button.dataset.ready) { return; }
    button.dataset.ready = "1";
    button.type = "button";  // Enter in a field submits the form, never asks for a new picture
    button.addEventListener("click", function (event) {
      var form = button.form, id = box.querySelector("input[type=hidden][name=captcha_id]");
      var token = form.querySelector("input[name=csrf_token]");
      event.preventDefault();
      var body = new FormData();
      body.append("captcha_id", id.value);
      if (token) { body.append("csrf_token", token.value); }
      fetch(box.getAttribute("data-refresh-url"), {method: "POST", body: body, credentials: "same-origin",
                                                   headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (fresh) {
          id.value = fresh.id;
          box.querySelector(".captcha-image").src = fresh.image;
          box.querySelector(".captcha-audio").href = fresh.audio;
          var input = box.querySelector(".captcha-input");
          input.value = "";
          input.focus();
        })
        .catch(function () { button.type = "submit"; button.click(); });
    });
  });
})();
