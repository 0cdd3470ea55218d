// Units chosen by name on the administrators' pages: "Add this unit" puts the unit picked in the
// form engine's picker (forms.js: province, commune, search by name) into the chosen list at once,
// without posting the page; Enter in the search box adds too. The server accepts the same post.
(function () {
  "use strict";

  function selected(select) {
    return select && select.value ? select.options[select.selectedIndex] : null;
  }

  function wire(box) {
    var list = box.querySelector("[data-mc-chosen]");
    var empty = box.querySelector(".mc-chosen-empty");
    var status = box.querySelector("[data-mc-unit-status]");
    var button = box.querySelector(".mc-unit-add");
    var name = box.getAttribute("data-mc-unit-choice");
    if (!list || !button) { return; }

    function picked() {
      var province = selected(box.querySelector("[data-mcf-unit-province]"));
      var commune = selected(box.querySelector("[data-mcf-unit-commune]"));
      if (commune) {
        return {code: commune.value, text: commune.text + (province ? ", " + province.text : "")};
      }
      return province ? {code: province.value, text: province.text} : null;
    }

    function say(template, text) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = template.replace("%s", text); }, 50);
    }

    function add() {
      var unit = picked();
      if (!unit) {
        var first = box.querySelector(".mcf-unit-search, [data-mcf-unit-province]");
        if (first) { first.focus(); }
        return;
      }
      var boxes = list.querySelectorAll("input[type=checkbox]");
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].value === unit.code) {
          boxes[i].checked = true;
          say(box.getAttribute("data-already"), unit.text);
          return;
        }
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox"; input.name = name; input.value = unit.code; input.checked = true;
      var code = document.createElement("small");
      code.textContent = "(" + unit.code + ")";
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + unit.text + " "));  // text, never HTML
      label.appendChild(code);
      item.appendChild(label);
      list.appendChild(item);
      if (empty) { empty.hidden = true; }
      var commune = box.querySelector("[data-mcf-unit-commune]");
      if (commune) { commune.value = ""; }  // the next commune of the same province
      var search = box.querySelector(".mcf-unit-search");
      if (search) { search.value = ""; }
      say(box.getAttribute("data-added"), unit.text);
    }

    button.addEventListener("click", function (event) { event.preventDefault(); add(); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.classList.contains("mcf-unit-search")) {
        event.preventDefault();  // not the page's submit: the unit found is added
        var commune = box.querySelector("[data-mcf-unit-commune]"), tries = 0;
        (function wait() {  // forms.js may still be loading the province's communes
          if (commune && !commune.value && tries++ < 20) { window.setTimeout(wait, 100); return; }
          add();
        }());
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-mc-unit-choice]").forEach(wire);
  });
}());
