/* 民生日记 — the "打印 / 存为 PDF" button on a handout (讲义) page.
 *
 * The page is sanitised (no <button>, no handlers survive), so the button is added here, into the
 * .diary-handout-print bar the template writes. It calls window.print(); in print the bar is hidden (diary.css).
 * Without scripts the handout still prints from the browser's own menu.
 */
(function () {
  "use strict";
  function addButton() {
    var bars = document.querySelectorAll(".diary-handout-print");
    for (var i = 0; i < bars.length; i++) {
      if (bars[i].querySelector("button")) continue;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "diary-print-button";
      b.textContent = "打印 / 存为 PDF";
      b.addEventListener("click", function () { window.print(); });
      bars[i].insertBefore(b, bars[i].firstChild);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addButton);
  else addButton();
  // Material's instant navigation swaps the page without a load event
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(addButton);
})();
