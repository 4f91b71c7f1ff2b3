/* Small enhancements only: every page works without this file.
   1. Region typeahead: inputs with data-suggest fill their <datalist> from /regions/suggest/.
   2. On narrow screens the facet panel starts closed (results come first either way).
   3. 加入对比 / 移出对比 / the list bar's forms change the list in place: the form is posted
      with X-Compare-Inline, the answer (compare/_selection_update.html) replaces the bar and
      the page's buttons, and the reader stays where they were.  Without this file the forms
      post and come back to the same place (#compare-<id>). */
(function () {
  "use strict";

  function typeahead(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    if (!list || !url) { return; }
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (!text || text === last) { return; }
      timer = setTimeout(function () {
        last = text;
        fetch(url + "?q=" + encodeURIComponent(text), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (region) {
              var option = document.createElement("option");
              option.value = region.full_name;
              option.label = region.level_label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the input still works as plain text */ });
      }, 150);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(typeahead);

  function compareButtonIds() {
    var ids = [];
    document.querySelectorAll("form.compare-add input[name=report]").forEach(function (input) {
      ids.push(input.value);
    });
    return ids.join(",");
  }

  function swapCompare(html, focusId) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var anchor = focusId && document.getElementById(focusId);
    var before = anchor ? anchor.getBoundingClientRect().top : null;
    var bar = doc.getElementById("compare-selection");
    var old = document.getElementById("compare-selection");
    if (bar && old) { old.replaceWith(document.importNode(bar, true)); }
    doc.querySelectorAll("#compare-buttons form.compare-add").forEach(function (fresh) {
      var current = document.getElementById(fresh.id);
      if (current) { current.replaceWith(document.importNode(fresh, true)); }
    });
    var flash = document.querySelector("#compare-selection .flash");
    if (flash) {
      flash.classList.add("flash-toast");
      setTimeout(function () { flash.remove(); }, 6000);
    }
    var again = focusId && document.getElementById(focusId);
    // The bar above may have grown or shrunk: keep the clicked button where it was on screen.
    if (again && before !== null) { window.scrollBy(0, again.getBoundingClientRect().top - before); }
    var button = again && again.querySelector("button");
    if (button) { button.focus({ preventScroll: true }); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.compare-add, #compare-selection form") || !window.fetch) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.append("buttons", compareButtonIds());
    // getAttribute: the forms have an input named "action", which shadows form.action.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", headers: { "X-Compare-Inline": "1" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) { swapCompare(html, form.id); })
      .catch(function () { form.submit(); });
  });

  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    document.querySelectorAll("details.facet-panel").forEach(function (d) { d.open = false; });
    document.querySelectorAll("details.more-filters").forEach(function (d) { d.open = false; });
  }
})();
