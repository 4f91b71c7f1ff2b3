// Copy buttons for citations: the citation is already selectable text; this only adds a
// button that copies it (hidden when JavaScript or the Clipboard API is unavailable).
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.cite-copy[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制引文"; }, 2000);
      });
    });
  });
})();
