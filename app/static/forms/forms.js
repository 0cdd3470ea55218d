/* MotCua form engine: show/hide conditional fields, "add another" groups, the unit picker.
   The server decides everything; without this script all fields show and buttons submit. */
(function () {
  "use strict";

  function encode(v) { return typeof v === "string" ? v : JSON.stringify(v); }

  function readValue(form, name) {
    var els = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    var value = null;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.disabled) continue;
      if (el.type === "checkbox" && els.length <= 2) { value = el.checked ? "true" : "false"; continue; }
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) value = el.value; continue; }
      if (el.type === "hidden" && els.length > 1) continue;
      value = el.value;
    }
    return value === "" ? null : value;
  }

  function testHolds(form, t) {
    var v = readValue(form, t.name);
    if (t.present) return v !== null;
    if (v === null) return !!t.absent;
    return t["in"].some(function (x) { return encode(x) === v; });
  }

  function applies(form, clauses) {
    return clauses.some(function (c) {
      var all = c.all.every(function (t) { return testHolds(form, t); });
      return c.negate ? !all : all;
    });
  }

  function refresh(form) {
    form.querySelectorAll("[data-mcf-when]").forEach(function (el) {
      var show = applies(form, JSON.parse(el.getAttribute("data-mcf-when")));
      el.hidden = !show;
      el.querySelectorAll("input, select, textarea, button").forEach(function (c) {
        if (!show) { c.dataset.mcfWasDisabled = c.disabled ? "1" : ""; c.disabled = true; }
        else if (c.dataset.mcfWasDisabled !== undefined) { c.disabled = c.dataset.mcfWasDisabled === "1"; delete c.dataset.mcfWasDisabled; }
      });
    });
  }

  function countItems(group) { return group.querySelector(".mcf-repeat-items").children.length; }

  function syncButtons(group) {
    var n = countItems(group), max = group.dataset.mcfMax, min = +(group.dataset.mcfMin || 0);
    var add = group.querySelector(":scope > .mcf-add");
    if (add) add.hidden = max !== undefined && n >= +max;
    group.querySelectorAll(":scope > .mcf-repeat-items > .mcf-repeat-item > .mcf-remove").forEach(function (b) { b.hidden = n <= min; });
  }

  function addItem(group) {
    var index = +group.dataset.mcfNext;
    group.dataset.mcfNext = index + 1;
    var html = group.querySelector(":scope > template").innerHTML
      .replace(/__i__/g, String(index)).replace(/__n__/g, String(countItems(group) + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var item = holder.firstElementChild;
    group.querySelector(".mcf-repeat-items").appendChild(item);
    syncButtons(group);
    var first = item.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function wireUnitPicker(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-list";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(function () {
        fetch("/api/v1/units?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : []; })
          .then(function (body) {
            var units = Array.isArray(body) ? body : (body.result || body.items || []);
            list.innerHTML = "";
            units.slice(0, 20).forEach(function (u) {
              var o = document.createElement("option");
              o.value = u.code; o.label = u.name; list.appendChild(o);
            });
          }).catch(function () {});
      }, 250);
    });
  }

  function unitOption(code, name, selected) {
    var o = document.createElement("option");
    o.value = code; o.textContent = name; o.selected = !!selected;
    return o;
  }

  // The unit picker: the province select loads its communes; a search box finds a unit by name.
  function wireUnitSelects(box) {
    var province = box.querySelector("[data-mcf-unit-province]");
    var commune = box.querySelector("[data-mcf-unit-commune]");
    var refresh = box.querySelector(".mcf-unit-refresh");
    if (!province || !commune || province.disabled) return;
    if (refresh) refresh.hidden = true;
    var empty = commune.options[0].cloneNode(true);

    function load(code, selected) {
      commune.innerHTML = "";
      commune.appendChild(empty.cloneNode(true));
      if (!code) return;
      fetch("/api/v1/units?parent=" + encodeURIComponent(code)).then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (body) {
          var wanted = selected || commune.dataset.mcfWanted;
          delete commune.dataset.mcfWanted;
          (body.result || []).forEach(function (u) { commune.appendChild(unitOption(u.code, u.name, u.code === wanted)); });
        }).catch(function () { if (refresh) refresh.hidden = false; });
    }
    province.addEventListener("change", function () { load(province.value, null); });

    var search = document.createElement("input");
    search.type = "search"; search.className = "mcf-input mcf-unit-search"; search.id = commune.id + "-search";
    search.autocomplete = "off";
    var label = document.createElement("label");
    label.className = "mcf-sublabel"; label.htmlFor = search.id; label.textContent = box.dataset.mcfSearchLabel || "";
    var list = document.createElement("datalist");
    list.id = commune.id + "-matches";
    search.setAttribute("list", list.id);
    var level = document.createElement("div");
    level.className = "mcf-unit-level";
    level.appendChild(label); level.appendChild(search); level.appendChild(list);
    box.insertBefore(level, box.querySelector(".mcf-unit-level"));

    var found = {}, timer = null;
    function provinceName(code) {
      for (var i = 0; i < province.options.length; i++) if (province.options[i].value === code) return province.options[i].text;
      return "";
    }
    search.addEventListener("input", function () {
      var hit = found[search.value];
      if (hit) {
        var top = hit.parent_code || hit.code;
        province.value = top;
        load(top, hit.parent_code ? hit.code : null);
        return;
      }
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(function () {
        fetch("/api/v1/units?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : {}; })
          .then(function (body) {
            list.innerHTML = ""; found = {};
            (body.result || []).slice(0, 20).forEach(function (u) {
              var text = u.parent_code ? u.name + ", " + provinceName(u.parent_code) : u.name;
              found[text] = u;
              var o = document.createElement("option");
              o.value = text; list.appendChild(o);
            });
          }).catch(function () {});
      }, 250);
    });
  }

  function init(root) {
    var form = root.closest("form") || root;
    refresh(form);
    form.addEventListener("change", function () { refresh(form); });
    form.addEventListener("input", function () { refresh(form); });
    root.querySelectorAll("[data-mcf-repeat]").forEach(syncButtons);
    form.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button.mcf-add, button.mcf-remove");
      if (!btn || !root.contains(btn)) return;
      ev.preventDefault();
      if (btn.classList.contains("mcf-add")) { addItem(btn.closest("[data-mcf-repeat]")); }
      else {
        var group = btn.closest("[data-mcf-repeat]");
        btn.closest(".mcf-repeat-item").remove();
        syncButtons(group);
        var add = group.querySelector(":scope > .mcf-add");
        (add && !add.hidden ? add : group).focus();
      }
      refresh(form);
    });
    root.querySelectorAll("input[data-mcf-unit]").forEach(wireUnitPicker);
    root.querySelectorAll("[data-mcf-unit-picker]").forEach(wireUnitSelects);
    var summary = root.querySelector(".mcf-error-summary");
    if (summary) summary.focus();
  }

  // A form drawn later (the administrators' live preview) is wired by MotCuaForms.init(root).
  window.MotCuaForms = {init: init};
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".mcf-form").forEach(init);
  });
})();
