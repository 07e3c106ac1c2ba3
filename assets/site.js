// bloodstudy report: click-to-zoom for figures and legend buttons that show or hide a class's layer.
// Everything works without this script (figures link to their 2x image; all layers are shown).
(function () {
  "use strict";
  function closeZoom(overlay) { overlay.remove(); document.removeEventListener("keydown", overlay.onKey); }
  function openZoom(href, alt) {
    var overlay = document.createElement("div");
    overlay.className = "zoom-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-label", "Enlarged figure; press Escape or click to close");
    var img = document.createElement("img");
    img.src = href;
    img.alt = alt || "";
    overlay.appendChild(img);
    overlay.onKey = function (e) { if (e.key === "Escape") { closeZoom(overlay); } };
    overlay.addEventListener("click", function () { closeZoom(overlay); });
    document.addEventListener("keydown", overlay.onKey);
    document.body.appendChild(overlay);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.zoom") : null;
    if (link) {
      event.preventDefault();
      var img = link.querySelector("img");
      openZoom(link.getAttribute("href"), img ? img.alt : "");
      return;
    }
    var button = event.target.closest ? event.target.closest("button.legend-toggle") : null;
    if (button) {
      var layer = document.getElementById(button.getAttribute("data-layer"));
      if (!layer) { return; }
      var shown = button.getAttribute("aria-pressed") !== "false";
      button.setAttribute("aria-pressed", shown ? "false" : "true");
      layer.classList.toggle("off", shown);
    }
  });
}());
