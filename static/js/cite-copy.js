// Copy buttons for citations: the citation is already selectable text; this only adds a
// button that copies it (hidden when JavaScript or the Clipboard API is unavailable).
(function () {
  if (!navigator.clipboard) return;
  function copier(button, text) {
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(text()).then(function () {
        var label = button.textContent;
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }
  document.querySelectorAll("button.cite-copy[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    button.hidden = false;
    copier(button, function () { return target.textContent.trim(); });
  });
  // Report page: one button per section, copying that section's GB/T 7714 reference.
  var data = document.getElementById("section-citations");
  if (!data) return;
  var citations = JSON.parse(data.textContent);
  document.querySelectorAll("section[data-path] > .section-head").forEach(function (head) {
    var text = citations[head.parentElement.getAttribute("data-path")];
    if (!text) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy cite-copy-section";
    button.textContent = "复制本节引文";
    button.title = text;
    head.appendChild(button);
    copier(button, function () { return text; });
  });
})();
