// diligence serve: progressive enhancement only. Every page works without this file;
// with it, answers are saved as they change ("Saved" shows once the server has the file
// on disk), number keys pick answers, the presentation steps with Enter/b/j, and the
// trainer's class view refreshes itself.
(function () {
  "use strict";

  function say(text) {
    var status = document.getElementById("status");
    if (!status) return;
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    status.appendChild(p);
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && target.type !== "radio" && target.type !== "checkbox");
  }

  // ------------------------------------------------------------------ autosave
  var form = document.querySelector("form[data-autosave]");
  if (form && window.fetch && window.FormData) {
    var busy = false, again = false;
    var save = function () {
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData(form);
      data.set("intent", "save");
      say("Saving…");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (reply) {
        if (reply.ok && reply.body.saved) {
          say("Saved." + (reply.body.notices.length ? " " + reply.body.notices.join(" ") : ""));
        } else if (reply.ok) {
          say("Nothing to save yet.");
        } else {
          say("Not saved: " + (reply.body.error || "the server refused it") + " Use Save and continue.");
        }
      }).catch(function () {
        say("Not saved: the server cannot be reached. Your text is still here; try again.");
      }).then(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    };
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "value" || name === "note") save();
    });
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
      var input = form.querySelector('input[data-key="' + event.key + '"]');
      if (input) {
        input.click();
        input.focus();
        event.preventDefault();
      }
    });
  }

  // ------------------------------------------------------------------ presentation
  if (document.body.classList.contains("present")) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
      var target = null;
      if (event.key === "Enter" || event.key === "ArrowRight" || event.key === " ") {
        if (event.target && (event.target.tagName === "A" || event.target.tagName === "BUTTON")) return;
        target = document.querySelector('a[rel="next"]');
      } else if (event.key === "b" || event.key === "ArrowLeft") {
        target = document.querySelector('a[rel="prev"]');
      } else if (event.key === "j") {
        var select = document.getElementById("section");
        if (select) { select.focus(); event.preventDefault(); }
        return;
      }
      if (target) { event.preventDefault(); window.location.href = target.href; }
    });
  }

  // ------------------------------------------------------------------ the class view
  var live = document.querySelector("[data-live]");
  if (live && window.fetch) {
    window.setInterval(function () {
      if (document.hidden) return;
      fetch(live.getAttribute("data-live"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          live.replaceChildren.apply(live, Array.prototype.slice.call(doc.body.childNodes));
        }).catch(function () {});
    }, 5000);
  }
  var batch = document.querySelector("[data-batch] progress");
  if (batch && window.fetch) {
    var poll = window.setInterval(function () {
      fetch(document.querySelector("[data-batch]").getAttribute("data-batch"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          batch.value = state.done;
          var label = document.querySelector('label[for="batch-progress"]');
          if (label) label.textContent = "Rendering " + state.done + " of " + state.total;
          if (state.finished) { window.clearInterval(poll); window.location.reload(); }
        }).catch(function () {});
    }, 1500);
  }
})();
