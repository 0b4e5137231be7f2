// The running total while building a claim: what the claim already holds plus every ticked
// document. Amounts are summed in cents (never floats) and only ever inserted as text.
(function () {
  "use strict";

  var box = document.getElementById("running-total");
  if (!box) { return; }
  var form = box.closest("form");
  var text = box.querySelector(".running-text");
  var template = box.dataset.template;

  function cents(value) {
    var match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(value || "0").trim());
    if (!match) { return 0; }
    var whole = parseInt(match[2], 10) * 100 + parseInt(((match[3] || "") + "00").slice(0, 2), 10);
    return match[1] === "-" ? -whole : whole;
  }

  function money(total) {
    var sign = total < 0 ? "-" : "";
    var abs = Math.abs(total);
    var yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fen = String(abs % 100);
    return sign + "¥" + yuan + "." + (fen.length < 2 ? "0" + fen : fen);
  }

  function refresh() {
    var ticked = form.querySelectorAll("input[type=checkbox][data-amount]:checked");
    var total = cents(box.dataset.base);
    Array.prototype.forEach.call(ticked, function (input) { total += cents(input.dataset.amount); });
    text.textContent = template.replace("{n}", String(ticked.length)).replace("{total}", money(total));
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox][data-amount]")) { refresh(); }
  });
  refresh();
}());
