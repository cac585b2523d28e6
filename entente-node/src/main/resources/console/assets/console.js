// The console's only script: small progressive enhancements. Every page works without it.
(function () {
  "use strict";
  // htmx requests carry the session's CSRF token, as the forms do in a hidden field.
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) e.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });
  // The import form's progress bar follows the upload.
  document.addEventListener("htmx:xhr:progress", function (e) {
    var bar = document.getElementById("import-progress");
    if (bar && e.detail.lengthComputable && e.detail.total > 0) {
      bar.value = Math.round(e.detail.loaded * 100 / e.detail.total);
    }
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var bar = document.getElementById("import-progress");
    if (bar && e.target && e.target.id === "import-form") {
      bar.value = 0;
      e.target.setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var bar = document.getElementById("import-progress");
    if (bar && e.target && e.target.id === "import-form") {
      bar.value = 100;
      e.target.removeAttribute("aria-busy");
      var report = document.getElementById("import-report");
      if (report) report.focus();
    }
  });
})();
