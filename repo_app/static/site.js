/* Small progressive enhancements; every page works without them (CSP: script-src 'self'). */
(function () {
  "use strict";

  /* The header menu is a <details> disclosure: closed on phones, kept open on wide screens. */
  function wideMenu() {
    var menu = document.querySelector("header.site details.menu");
    if (!menu || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 48em)");
    var apply = function () { menu.open = wide.matches; };
    apply();
    if (wide.addEventListener) { wide.addEventListener("change", apply); }
  }

  /* A form's error summary takes focus, so a screen reader hears what to fix first. */
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    wideMenu();
    focusErrorSummary();
  });
}());
