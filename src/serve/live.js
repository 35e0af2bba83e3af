// Added by `portail serve` only: reloads the page after each rebuild and
// shows the errors of a failed one over the page.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-generation") : "";
  var source = new EventSource("/__portail/events?since=" + encodeURIComponent(since || ""));
  var overlay = null;

  function clear() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(errors) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "portail-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace";
    var title = document.createElement("h2");
    title.textContent = errors.length === 1
      ? "The site has 1 error / Le site a 1 erreur"
      : "The site has " + errors.length + " errors / Le site a " + errors.length + " erreurs";
    title.style.cssText = "margin-top:0;color:#ff8a80;font:bold 1.2rem sans-serif";
    overlay.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("div");
      item.style.cssText = "margin:1rem 0;padding:1rem;border-left:4px solid #ff8a80;background:#000";
      var where = document.createElement("div");
      where.style.color = "#9cdcfe";
      where.textContent = error.file
        ? error.file + (error.line ? ":" + error.line + (error.column ? ":" + error.column : "") : "")
        : "";
      var message = document.createElement("div");
      message.textContent = error.message;
      item.appendChild(where);
      item.appendChild(message);
      if (error.help) {
        var help = document.createElement("div");
        help.style.color = "#b5e8a0";
        help.textContent = (error.help_label || "help") + ": " + error.help;
        item.appendChild(help);
      }
      overlay.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "The page shows the last good build; it reloads when the file is fixed. / " +
      "La page montre la dernière version correcte ; elle se recharge quand le fichier est corrigé.";
    overlay.appendChild(note);
    document.body.appendChild(overlay);
  }

  source.addEventListener("reload", function () {
    window.location.reload();
  });
  source.addEventListener("errors", function (event) {
    show(JSON.parse(event.data));
  });
  source.addEventListener("ok", function () {
    clear();
    // For tests and curious authors: the page follows the rebuilds.
    window.portailLive = "connected";
  });
})();
