/* Small progressive enhancements; every page works without them (CSP: script-src 'self'). */
(function () {
  "use strict";

  /* The header menu is a <details> disclosure: closed where the stylesheet shows its menu
     button (a phone; a staff header up to a wide laptop, whose many links would wrap), kept
     open where the links fit one row. Its groups (Requests, Reports, the account) are the
     other way round: sections shown in the open menu with the button, boxes that drop down
     on demand in the row. The stylesheet alone says where the row begins (app.css), so the
     button's visibility decides; nothing changes while the mode stays (a phone's address
     bar resizing the window must not close an open menu). */
  function wideMenu() {
    var menu = document.querySelector("header.site details.menu");
    var button = menu && menu.querySelector("summary");
    if (!button || !window.getComputedStyle) { return; }
    var groups = menu.querySelectorAll("details.submenu");
    var wide = null;
    var isWide = function () { return window.getComputedStyle(button).display === "none"; };
    var apply = function () {
      if (isWide() === wide) { return; }
      wide = isWide();
      menu.open = wide;
      groups.forEach(function (group) { group.open = !wide; });
    };
    apply();
    window.addEventListener("resize", apply);
    dropDowns(groups, function () { return wide; });
  }

  /* In the row one group is open at a time, and Escape or a click elsewhere closes it
     (Escape returns focus to the group's name). */
  function dropDowns(groups, isWide) {
    var closeAll = function (except) {
      groups.forEach(function (group) { if (group !== except) { group.open = false; } });
    };
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (isWide() && group.open) { closeAll(group); }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (!isWide() || event.key !== "Escape") { return; }
      groups.forEach(function (group) {
        if (group.open) {
          group.open = false;
          group.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (!isWide()) { return; }
      var inside = event.target.closest && event.target.closest("details.submenu");
      closeAll(inside);
    });
  }

  /* A form's error summary takes focus, so a screen reader hears what to fix first. */
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  /* The reader: the left and right arrow keys follow the pager's rel=prev and rel=next links,
     except while typing or while a zoomed page (which scrolls with the arrows) has focus. */
  function keyboardPaging() {
    var reader = document.querySelector(".reader");
    if (!reader) { return; }
    document.addEventListener("keydown", function (event) {
      var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
      var target = event.target;
      if (!rel || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable) { return; }
      if (target.closest && target.closest(".page-scroll, details")) { return; }
      var link = reader.querySelector('a[rel="' + rel + '"]');
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
  }

  /* The deposit form: a large PDF takes minutes to send, so show how far it got. The form is
     sent as the browser would (same fields, the button pressed), then the answer shown. */
  function uploadProgress() {
    var form = document.querySelector("form.deposit-form");
    var box = form && form.querySelector(".upload-progress");
    if (!box || !window.FormData || !window.XMLHttpRequest) { return; }
    form.addEventListener("submit", function (event) {
      var picked = form.querySelector("input[type=file]");
      if (!picked || !picked.files || picked.files.length === 0) { return; }
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      sendWithProgress(form, data, box);
    });
  }

  function sendWithProgress(form, data, box) {
    var bar = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var request = new XMLHttpRequest();
    box.hidden = false;
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = true; });
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round(100 * event.loaded / event.total);
      bar.value = percent;
      status.textContent = percent + "%";
    });
    /* Saved: the server names the work's page (204, X-Redirect) and we go there. Refused:
       the form comes back with its errors and replaces this page. */
    request.addEventListener("load", function () {
      if (request.status === 204) {
        window.location.assign(request.getResponseHeader("X-Redirect"));
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      status.textContent = box.getAttribute("data-failed");
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
    });
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Upload-Progress", "1");
    request.send(data);
  }

  /* Long report tables fold into <details> so a phone's page stays short; a wide screen,
     which shows them at a glance, opens them. */
  function openLongTables() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 48em)").matches) { return; }
    document.querySelectorAll("details.long-table").forEach(function (d) { d.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openLongTables();
    uploadProgress();
    wideMenu();
    focusErrorSummary();
    keyboardPaging();
  });
}());
