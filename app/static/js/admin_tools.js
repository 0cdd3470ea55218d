// Live preview of the procedure JSON editor: the server compiles and renders (vi and en).
(function () {
  "use strict";
  var form = document.getElementById("mc-json-editor");
  var panes = document.getElementById("mc-preview");
  if (!form || !panes || !window.fetch) { return; }
  var timer = null;
  var token = form.querySelector("input[name=csrf_token]").value;

  function render(result) {
    var box = panes.querySelector(".alert-danger");
    if (box) { box.remove(); }
    if (result.problems.length) {
      box = document.createElement("div");
      box.className = "alert alert-danger";
      box.setAttribute("role", "alert");
      var list = document.createElement("ul");
      result.problems.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;  // problems are text, never HTML
        list.appendChild(item);
      });
      box.appendChild(list);
      panes.insertBefore(box, panes.firstChild);
    }
    panes.querySelectorAll(".mc-preview-pane").forEach(function (pane) {
      var html = result.html[pane.getAttribute("data-locale")];
      if (html === undefined) { return; }
      pane.innerHTML = html;  // server-escaped form markup
      var root = pane.querySelector(".mcf-form");
      if (root && window.MotCuaForms) { window.MotCuaForms.init(root); }  // conditions show and hide
    });
  }

  function refresh() {
    var body = new FormData();
    body.append("schema", form.elements.schema.value);
    body.append("ui_schema", form.elements.ui_schema.value);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) { if (result) { render(result); } })
      .catch(function () { /* offline: the Preview button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
}());
