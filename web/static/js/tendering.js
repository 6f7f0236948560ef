// Count down to a deadline the server rendered in <time>, corrected for this browser's clock,
// and when the bid deadline passes with the page open, hide the bid's forms ([data-bid-open]
// inside [data-bid-deadline]) and show why ([data-bid-closed]); the server refuses a late bid
// anyway. Loaded with <script src>, since the CSP allows no inline script.
(function () {
  if (window.samspelTendering) { return; }
  window.samspelTendering = true;

  function left(ms, labels) {
    if (ms <= 0) { return labels.passed; }
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var parts = [];
    if (d) { parts.push(d + " " + labels.days); }
    if (d || h) { parts.push(h + " " + labels.hours); }
    parts.push(m + " " + labels.minutes);
    if (!d) { parts.push(sec + " " + labels.seconds); }
    return parts.join(" ");
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var target = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(target)) { return; }
      // The server's clock decides; the offset it sent corrects this browser's clock.
      var skew = parseInt(el.getAttribute("data-server-skew") || "0", 10);
      var labels = {
        days: el.getAttribute("data-days"), hours: el.getAttribute("data-hours"),
        minutes: el.getAttribute("data-minutes"), seconds: el.getAttribute("data-seconds"),
        passed: el.getAttribute("data-passed")
      };
      el.textContent = left(target - (now + skew), labels);
    });
    document.querySelectorAll("[data-bid-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-bid-deadline"));
      var skew = parseInt(el.getAttribute("data-server-skew") || "0", 10);
      if (isNaN(deadline) || now + skew < deadline) { return; }
      el.querySelectorAll("[data-bid-open]").forEach(function (open) { open.hidden = true; });
      el.querySelectorAll("[data-bid-closed]").forEach(function (closed) { closed.hidden = false; });
    });
  }

  function start() {
    document.querySelectorAll("[data-server-now]").forEach(function (el) {
      if (!el.hasAttribute("data-server-skew")) {
        var server = Date.parse(el.getAttribute("data-server-now"));
        el.setAttribute("data-server-skew", isNaN(server) ? "0" : String(server - Date.now()));
      }
    });
    tick();
  }

  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:load", start);
  if (document.readyState !== "loading") { start(); }
})();
