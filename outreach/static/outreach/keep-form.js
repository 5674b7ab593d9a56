// Keeps what staff type into a record form in this browser tab until the server has it: a
// stairwell without signal loses nothing. The form names its key in data-keep; the page shown
// after a successful save names the same key in data-kept-sent, and the copy is dropped then.
// The copy lives in sessionStorage (gone when the tab closes, so a shared phone keeps nothing),
// and leaves out the sensitive details and the hidden fields (a shift chosen since).
(function () {
  "use strict";
  const storage = window.sessionStorage;
  document.querySelectorAll("[data-kept-sent]").forEach(function (el) {
    storage.removeItem("kept-form:" + el.dataset.keptSent);
  });
  const form = document.querySelector("form[data-keep]");
  if (!form) return;
  const key = "kept-form:" + form.dataset.keep;
  const fields = function () {
    return Array.from(form.elements).filter(function (el) {
      return el.name && el.name !== "sensitive" && el.type !== "hidden" && el.type !== "submit" && el.type !== "file";
    });
  };
  const saved = JSON.parse(storage.getItem(key) || "null");
  // What the server sent back (a refused form) wins over the browser's copy.
  if (saved && !form.dataset.keepServer) {
    fields().forEach(function (el) {
      if (!(el.name in saved)) return;
      if (el.type === "checkbox") el.checked = saved[el.name] === true;
      else if (el.type === "radio") el.checked = saved[el.name] === el.value;
      else el.value = saved[el.name];
    });
    const note = form.querySelector("[data-keep-restored]");
    if (note) note.hidden = false;
  }
  const keep = function () {
    const values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox") values[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else values[el.name] = el.value;
    });
    storage.setItem(key, JSON.stringify(values));
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
})();
