// Drag-and-drop upload with a progress bar per file. Each file is its own POST so one slow or
// bad file never holds up the rest; the server answers with ready-to-print rows (one per
// invoice, several for a ZIP). Everything is inserted as text, never as HTML.
(function () {
  "use strict";

  var zone = document.getElementById("dropzone");
  if (!zone) { return; }
  var input = document.getElementById("file-input");
  var tbody = document.querySelector("#results tbody");
  var empty = document.getElementById("results-empty");
  var headings = Array.prototype.map.call(
    document.querySelectorAll("#results thead th"), function (th) { return th.textContent; });
  var endpoint = zone.dataset.endpoint;
  var csrf = zone.dataset.csrf;
  var maxBytes = parseInt(zone.dataset.maxBytes, 10);
  var CONCURRENT = 2;
  var queue = [];
  var running = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function cells(row, values) {
    values.forEach(function (value) {
      var td = el("td");
      if (value instanceof Node) { td.appendChild(value); } else { td.textContent = value; }
      row.appendChild(td);
    });
  }

  function notes(result) {
    var box = el("div");
    if (result.problem) {
      var p = el("div", "row-problem");
      p.appendChild(el("strong", null, result.problem.title));
      if (result.problem.hint) { p.appendChild(el("span", null, result.problem.hint)); }
      if (result.problem.detail) { p.appendChild(el("span", null, result.problem.detail)); }
      if (result.problem.existing_url) {
        var link = el("a", "duplicate-link", zone.dataset.textDuplicateLink);
        link.href = result.problem.existing_url;
        p.appendChild(link);
      }
      box.appendChild(p);
    }
    if (result.invoice) {
      result.invoice.warnings.forEach(function (w) { box.appendChild(el("span", "row-warning", w)); });
      var open = el("a", "open-link", zone.dataset.textOpen);
      open.href = result.invoice.url;
      box.appendChild(open);
    }
    return box;
  }

  function resultRow(result, progressCell) {
    var tr = el("tr", "result outcome-" + result.outcome);
    var inv = result.invoice;
    var name = result.member ? result.file + " › " + result.member : result.file;
    var outcome = el("span", "badge outcome-" + result.outcome, result.outcome_label);
    var status = inv ? el("span", "badge status-" + inv.status, inv.status_label) : "";
    tr.appendChild(el("td", "file-name", name));
    tr.appendChild(progressCell || el("td"));
    var business = inv ? el("span", "badge business-" + inv.business_type_code, inv.business_type) : "";
    cells(tr, [outcome, inv ? inv.train_number : "", inv ? inv.route : "", business,
      inv ? inv.travel_date : "", inv ? inv.seat_class : ""]);
    tr.appendChild(el("td", "num", inv ? inv.fare : ""));
    cells(tr, [status, notes(result)]);
    label(tr);
    return tr;
  }

  // On a phone each row is a card: a cell shows its column's name (read from the table head).
  function label(row) {
    Array.prototype.forEach.call(row.children, function (td, index) {
      if (headings[index]) { td.dataset.label = headings[index]; }
    });
    if (row.firstChild) { row.firstChild.classList.add("card-head"); }
  }

  function failureRow(file, progressCell, title, detail) {
    return resultRow({
      file: file.name, member: null, outcome: "rejected", outcome_label: title,
      invoice: null, problem: { title: title, hint: "", detail: detail, existing_url: null }
    }, progressCell);
  }

  function startRow(file) {
    var tr = el("tr", "pending");
    var bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    var text = el("span", "progress-text", "0%");
    var progressCell = el("td", "progress-cell");
    progressCell.appendChild(bar);
    progressCell.appendChild(text);
    tr.appendChild(el("td", "file-name", file.name));
    tr.appendChild(progressCell);
    var waiting = el("td", "muted", zone.dataset.textUploading);
    waiting.colSpan = 9;
    tr.appendChild(waiting);
    label(tr);
    tbody.appendChild(tr);
    empty.hidden = true;
    return { tr: tr, bar: bar, text: text, cell: progressCell };
  }

  function settle(view, rows) {
    view.bar.value = 100;
    view.text.textContent = "100%";
    // The first row of a file takes over its progress bar; further ZIP members follow it.
    rows.forEach(function (row) { tbody.insertBefore(row, view.tr); });
    tbody.removeChild(view.tr);
  }

  function upload(file, view, done) {
    var xhr = new XMLHttpRequest();
    var form = new FormData();
    form.append("file", file, file.name);
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round((event.loaded / event.total) * 100);
      view.bar.value = percent;
      view.text.textContent = percent + "%";
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 200 && body && body.rows) {
        settle(view, body.rows.map(function (r, i) { return resultRow(r, i === 0 ? view.cell : null); }));
      } else if (body && body.title) {
        settle(view, [failureRow(file, view.cell, body.title, body.detail || "")]);
      } else {
        settle(view, [failureRow(file, view.cell, zone.dataset.textFailed, "HTTP " + xhr.status)]);
      }
      done();
    });
    xhr.addEventListener("error", function () {
      settle(view, [failureRow(file, view.cell, zone.dataset.textFailed, "")]);
      done();
    });
    xhr.send(form);
  }

  function pump() {
    while (running < CONCURRENT && queue.length) {
      var job = queue.shift();
      running += 1;
      upload(job.file, job.view, function () { running -= 1; pump(); });
    }
  }

  function accept(files) {
    Array.prototype.forEach.call(files, function (file) {
      var view = startRow(file);
      if (file.size > maxBytes) {
        settle(view, [failureRow(file, view.cell, zone.dataset.textTooLarge, "")]);
        return;
      }
      queue.push({ file: file, view: view });
    });
    pump();
  }

  zone.addEventListener("click", function (event) {
    if (event.target !== input && event.target.tagName !== "LABEL") { input.click(); }
  });
  zone.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
  });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("dragover");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.remove("dragover");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) { accept(event.dataTransfer.files); }
  });
  input.addEventListener("change", function () {
    accept(input.files);
    input.value = "";
  });
}());
