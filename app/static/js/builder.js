// The visual builder previews as you build: every change posts the rows (debounced) and the
// server's own form engine renders the citizen form in Vietnamese and English. The answer also
// describes the rows, which keeps the "show only when" pickers in step with labels, types and
// options. Everything written by administrators arrives as text or as the engine's escaped HTML.
(function () {
  "use strict";
  var form = document.getElementById("mc-builder");
  var panes = document.getElementById("mc-preview");
  var factsNode = document.getElementById("mc-row-facts");
  if (!form || !panes || !factsNode || !window.fetch || !window.FormData) { return; }
  var token = form.querySelector("input[name=csrf_token]").value;
  var controllers = JSON.parse(form.getAttribute("data-controllers"));
  var facts = JSON.parse(factsNode.textContent);
  var CHOICES = ["select", "radio"];
  var timer = null, sent = 0, shown = 0;

  function box(className, title, items) {
    var div = document.createElement("div");
    div.className = className;
    var strong = document.createElement("strong");
    strong.textContent = title;
    div.appendChild(strong);
    var list = document.createElement("ul");
    items.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;  // problems are text, never HTML
      list.appendChild(item);
    });
    div.appendChild(list);
    return div;
  }

  function render(result) {
    var messages = panes.querySelector(".mc-preview-problems");
    messages.textContent = "";
    if (result.problems.length) {
      messages.appendChild(box("alert alert-danger", panes.getAttribute("data-problems-title"), result.problems));
    }
    if (result.notes.length) {
      messages.appendChild(box("alert alert-info mc-preview-notes", panes.getAttribute("data-notes-title"), result.notes));
    }
    panes.querySelectorAll(".mc-preview-pane").forEach(function (pane) {
      pane.innerHTML = result.html[pane.getAttribute("data-locale")] || "";  // the engine's escaped markup
      var root = pane.querySelector(".mcf-form");
      if (root && window.MotCuaForms) { window.MotCuaForms.init(root); }  // conditions show and hide
    });
    facts = result.rows;
    form.querySelectorAll("fieldset[data-row]").forEach(syncRow);
    syncGroups();
  }

  // "Add a field to": every group as soon as it has a label, named by it (as the server does).
  function syncGroups() {
    var select = document.getElementById("new_parent");
    if (!select) { return; }
    var names = {}, choices = [["", select.options[0].text]];
    facts.forEach(function (row) {
      if ((row.type !== "group" && row.type !== "repeat") || !row.key) { return; }
      var path = row.parent ? row.parent + "." + row.key : row.key;
      var label = row.label || row.key;
      names[path] = names[row.parent] ? names[row.parent] + " › " + label : label;
      choices.push([path, select.getAttribute("data-group-word") + " " + names[path]]);
    });
    var current = Array.prototype.map.call(select.options, function (o) { return [o.value, o.text]; });
    if (JSON.stringify(current) === JSON.stringify(choices)) { return; }
    var wanted = select.value;
    select.textContent = "";
    choices.forEach(function (choice) {
      select.appendChild(new Option(choice[1], choice[0], false, choice[0] === wanted));
    });
  }

  function refresh() {
    var number = ++sent;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (result && number > shown) { shown = number; render(result); }
    }).catch(function () { /* offline: the Preview button still works */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  }

  function fact(index) {
    for (var i = 0; i < facts.length; i++) { if (String(facts[i].index) === String(index)) { return facts[i]; } }
    return null;
  }

  function kindOf(controller) {
    if (!controller) { return "text"; }
    if (CHOICES.indexOf(controller.type) >= 0) { return "choice:" + JSON.stringify(controller.options); }
    return controller.type === "boolean" ? "boolean" : "text";
  }

  // The value part of a row's condition: tick boxes of the controlling field's options, nothing
  // for a tick box, else a text input; what was chosen or typed is kept across rebuilds.
  function syncValues(row, index, controller) {
    var holder = row.querySelector("[data-when-values]");
    var kind = kindOf(controller);
    if (holder.getAttribute("data-kind") === kind) { return; }
    var checked = Array.prototype.map.call(holder.querySelectorAll("input[type=checkbox]:checked"), function (c) { return c.value; });
    var typed = holder.querySelector("input[type=text], input:not([type])");
    var text = typed ? typed.value : "";
    holder.setAttribute("data-kind", kind);
    holder.textContent = "";
    if (kind === "boolean") {
      var note = document.createElement("p");
      note.className = "help-block";
      note.textContent = form.getAttribute("data-no-value");
      holder.appendChild(note);
    } else if (kind === "text") {
      var label = document.createElement("label");
      label.htmlFor = "f-" + index + "-when_value";
      label.textContent = form.getAttribute("data-value-label");
      var input = document.createElement("input");
      input.className = "form-control"; input.id = label.htmlFor; input.name = label.htmlFor; input.value = text;
      holder.appendChild(label); holder.appendChild(input);
    } else {
      var set = document.createElement("fieldset");
      set.className = "mc-condition-values";
      var legend = document.createElement("legend");
      legend.textContent = form.getAttribute("data-values-legend");
      set.appendChild(legend);
      controller.options.forEach(function (option) {
        var div = document.createElement("div");
        div.className = "checkbox";
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox"; input.name = "f-" + index + "-when_values"; input.value = option[0];
        input.checked = checked.indexOf(option[0]) >= 0;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + option[1]));
        div.appendChild(label);
        set.appendChild(div);
      });
      holder.appendChild(set);
    }
  }

  function syncRow(row) {
    var index = row.getAttribute("data-row");
    var own = fact(index);
    var when = row.querySelector("[data-when]");
    if (!own || !when) { return; }
    var wanted = when.value;
    var choices = facts.filter(function (other) {
      return String(other.index) !== String(index) && other.parent === own.parent &&
        controllers[other.type] && (other.label || other.key);
    }).map(function (other) { return [String(other.index), other.label || other.key]; });
    var current = Array.prototype.slice.call(when.options, 1).map(function (o) { return [o.value, o.text]; });
    if (JSON.stringify(current) !== JSON.stringify(choices)) {  // rebuilt only when it changed
      var keep = when.options[0];
      when.textContent = "";
      when.appendChild(keep);
      choices.forEach(function (choice) {
        when.appendChild(new Option(choice[1], choice[0], false, choice[0] === wanted));
      });
    }
    var controller = when.value ? fact(when.value) : null;
    var allowed = controller ? controllers[controller.type] : null;
    var op = row.querySelector("[data-when-op]");
    Array.prototype.forEach.call(op.options, function (option) {
      option.disabled = !!allowed && allowed.indexOf(option.value) < 0;
    });
    if (op.selectedOptions.length && op.selectedOptions[0].disabled) { op.value = allowed[0]; }
    syncValues(row, index, controller);
  }

  form.querySelectorAll("fieldset[data-row]").forEach(function (row) {
    var holder = row.querySelector("[data-when-values]");
    var when = row.querySelector("[data-when]");
    if (holder) { holder.setAttribute("data-kind", kindOf(when && when.value ? fact(when.value) : null)); }
    syncRow(row);
  });
  form.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    var row = event.target.closest("fieldset[data-row]");
    if (row && event.target.hasAttribute("data-when")) { syncRow(row); }
    schedule();
  });
}());
