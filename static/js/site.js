/* Small enhancements only: every page works without this file.
   1. Region typeahead: inputs with data-suggest fill their <datalist> from /regions/suggest/.
   2. On narrow screens the facet panel starts closed (results come first either way). */
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

  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    document.querySelectorAll("details.facet-panel").forEach(function (d) { d.open = false; });
  }
})();
