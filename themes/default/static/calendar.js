/*
 * Upcoming and past events were split when the site was built; the site
 * may be older than today. Events already over move to the past list (or
 * leave the list, on the home, which has none).
 */
(function () {
  "use strict";
  var upcoming = document.querySelector(".events-upcoming");
  var past = document.querySelector(".events-past");
  if (!upcoming) return;
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var over = Array.prototype.filter.call(upcoming.children, function (li) {
    return li.getAttribute("data-end") < today;
  });
  /* Upcoming is soonest first: each one put on top of the past list leaves it latest first. */
  over.forEach(function (li) {
    if (past) past.insertBefore(li, past.firstChild);
    else upcoming.removeChild(li);
  });
  if (over.length && !upcoming.children.length && !document.querySelector(".events-none")) {
    var p = document.createElement("p");
    p.className = "events-none";
    p.textContent = upcoming.getAttribute("data-empty");
    upcoming.parentNode.insertBefore(p, upcoming.nextSibling);
  }
})();
