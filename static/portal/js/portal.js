// The portal's behaviour, loaded from a file on every page: the Content-Security-Policy allows no inline script and no
// on…= attributes. Each piece starts only where its elements are on the page; data comes from data- attributes.
(function () {
  "use strict";

  // The language switch submits itself; print buttons print; forms with data-confirm ask first.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // With data-confirm-count="<selector>" the question counts what the selector finds (the ticked rows of the
  // queue): "{count}" in data-confirm is replaced by it, and data-confirm-one is asked when it is exactly one.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var text = form.dataset.confirm;
      if (form.dataset.confirmCount) {
        var count = document.querySelectorAll(form.dataset.confirmCount).length;
        if (count === 0) { return; }  // nothing ticked: the server says "select at least one record"
        if (count === 1 && form.dataset.confirmOne) { text = form.dataset.confirmOne; }
        text = text.split("{count}").join(String(count));
      }
      if (!window.confirm(text)) { event.preventDefault(); }
    });
  });

  // 申报: beside the kind, what the quantity counts and how it scores; the class result only for class days.
  var unit = document.getElementById("quantity-unit");
  var declareForm = unit && unit.closest("form");
  var kind = declareForm && declareForm.elements.namedItem("kind");
  if (kind) {
    var passedRow = document.getElementById("class-passed-row");
    var updateKind = function () {
      var option = kind.options[kind.selectedIndex];
      if (option) { unit.textContent = option.dataset.unit; }
      document.querySelectorAll("#kind-rule [data-kind]").forEach(function (hint) {
        hint.hidden = hint.dataset.kind !== kind.value;
      });
      if (passedRow) { passedRow.hidden = kind.value !== "class_day"; }
    };
    kind.addEventListener("change", updateKind);
    updateKind();
  }

  // 我的学分: a category link opens its (possibly folded) group of records.
  if (document.querySelector("details[id]")) {
    var openRecordsGroup = function () {
      var target = location.hash && document.getElementById(location.hash.slice(1));
      if (target && target.tagName === "DETAILS") { target.open = true; }
    };
    window.addEventListener("hashchange", openRecordsGroup);
    openRecordsGroup();
  }

  // Central-group session: speakers and listeners, a filter, and the count.
  var attendees = document.getElementById("attendees");
  var filter = document.getElementById("attendee-filter");
  var count = document.getElementById("attendee-count");
  if (attendees && filter && count) {
    var boxes = function (role) { return attendees.querySelectorAll('input[data-role="' + role + '"]'); };
    var checked = function (list) { return Array.prototype.filter.call(list, function (b) { return b.checked; }).length; };
    var updateCount = function () {
      count.textContent = (count.dataset.template || "")
        .replace("{s}", checked(boxes("speaker"))).replace("{l}", checked(boxes("listener")));
    };
    // One official is either a speaker or a listener: ticking one clears the other in the same row.
    attendees.addEventListener("change", function (event) {
      var box = event.target;
      if (box.checked) {
        var otherRole = box.dataset.role === "speaker" ? "listener" : "speaker";
        var other = box.closest("tr").querySelector('input[data-role="' + otherRole + '"]');
        if (other) { other.checked = false; }
      }
      updateCount();
    });
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      attendees.querySelectorAll("tr[data-filter]").forEach(function (row) {
        row.hidden = words !== "" && row.dataset.filter.toLowerCase().indexOf(words) === -1;
      });
    });
    var allListeners = document.getElementById("all-listeners");
    if (allListeners) {
      allListeners.addEventListener("click", function () {
        attendees.querySelectorAll("tr[data-filter]:not([hidden])").forEach(function (row) {
          var speaker = row.querySelector('input[data-role="speaker"]');
          if (!speaker.checked) { row.querySelector('input[data-role="listener"]').checked = true; }
        });
        updateCount();
      });
    }
    var clearAttendees = document.getElementById("clear-attendees");
    if (clearAttendees) {
      clearAttendees.addEventListener("click", function () {
        attendees.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
        updateCount();
      });
    }
    updateCount();
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
  }

  // The approval queue: select every waiting record of the page for "approve selected".
  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll('input[name="record_ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = selectAll.checked;
      });
    });
  }

  // The evidence preview: pictures in an <img>; a PDF (or a file not yet rechecked) is offered as a download, since
  // evidence is never framed (Chromium's PDF viewer does not run in a sandboxed frame, and the sandbox stays).
  var modal = document.getElementById("evidence-modal");
  if (modal) {
    var image = document.getElementById("evidence-image");
    var download = document.getElementById("evidence-download");
    var showDownload = function (show) {
      image.classList.toggle("d-none", show);
      download.classList.toggle("d-none", !show);
    };
    image.addEventListener("error", function () { if (image.getAttribute("src")) { showDownload(true); } });
    modal.addEventListener("show.bs.modal", function (event) {
      var link = event.relatedTarget;
      var kind = link.dataset.evidenceKind;
      var isPicture = kind === "image" || kind === "jpeg" || kind === "png";
      var url = link.dataset.evidence;
      showDownload(!isPicture);
      if (isPicture) { image.src = url; image.alt = link.dataset.evidenceTitle; } else { image.removeAttribute("src"); }
      document.getElementById("evidence-title").textContent = link.dataset.evidenceTitle;
      var open = document.getElementById("evidence-open");
      open.href = url;
      open.classList.toggle("d-none", !isPicture);  // a PDF would only download again
      document.getElementById("evidence-download-link").href = url;
      // 通过 / 退回 in the preview, for a record still waiting (the link carries its addresses).
      var review = document.getElementById("evidence-review");
      if (review) {
        var waiting = Boolean(link.dataset.approve);
        review.classList.toggle("d-none", !waiting);
        if (waiting) {
          review.action = link.dataset.approve;
          document.getElementById("evidence-reject").href = link.dataset.reject;
        }
      }
    });
  }

  // A table wider than the screen (or a list taller than its box) scrolls inside its box: the box takes the keyboard
  // focus then, so the arrow keys scroll it (WCAG 2.1.1; axe's scrollable-region-focusable). Only while it
  // overflows: no extra stop on a desktop. The boxes: Bootstrap's, the survey summary's tables, the survey texts.
  var scrollBoxes = function () {
    document.querySelectorAll(".table-responsive, .table-scroll, .survey-texts").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (overflows) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  };
  scrollBoxes();
  window.addEventListener("resize", scrollBoxes);
  document.body.addEventListener("htmx:afterSettle", scrollBoxes);
})();
