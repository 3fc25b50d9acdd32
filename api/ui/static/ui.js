// billtriage UI: the only script, and every page works without it. It
// stops a double click from posting a form twice (a second "Accept" would
// only meet a conflict) and says that the server is working.
(function () {
  "use strict";
  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      form.setAttribute("aria-busy", "true");
      // Disable after the submit has been dispatched, so the button's own
      // name and value still go with the form.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.disabled = true;
          if (b.dataset.busy) { b.textContent = b.dataset.busy; }
        });
      }, 0);
    });
  });
})();
