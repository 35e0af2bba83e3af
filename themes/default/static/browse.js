/*
 * Filters of a browse page (theme, country, year…): hide the items that
 * do not match, keep the choice in the address so it can be shared. The
 * same choices are reachable without JavaScript through the term pages
 * linked under the form.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.browse-filters");
  var list = document.querySelector(".browse-list");
  if (!form || !list) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var count = form.querySelector(".browse-count");
  var items = Array.prototype.slice.call(list.children);

  function apply() {
    var shown = 0;
    items.forEach(function (li) {
      var match = selects.every(function (select) {
        if (!select.value) return true;
        /* Terms are separated by "|": a term may contain spaces. */
        var values = (li.getAttribute("data-" + select.name) || "").split("|");
        return values.indexOf(select.value) >= 0;
      });
      li.hidden = !match;
      if (match) shown++;
    });
    count.textContent = count.getAttribute("data-template")
      .replace("{count}", shown).replace("{total}", items.length);
  }

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) { select.value = params.get(select.name) || ""; });
  }

  selects.forEach(function (select) {
    select.addEventListener("change", function () {
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var query = params.toString();
      history.replaceState(null, "", query ? "?" + query : window.location.pathname);
      apply();
    });
  });
  form.hidden = false;
  fromAddress();
  apply();
})();
