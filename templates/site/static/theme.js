// Apply the saved theme before the page paints (no flash of the wrong theme).
(function () {
  try {
    var saved = localStorage.getItem("daily-papers-theme");
    if (saved === "dark" || saved === "light") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage may be disabled; the system theme applies */ }
})();
