/* The admin's downloads (list exports as CSV or XLSX, the spot check's workbook) cannot be opened
   in WeChat's built-in browser either. Loaded on every admin page (portal/wagtail_hooks.py): in
   WeChat it shows the page's own hints, or, on a page with a download and none of its own, one
   note at the top of the page with the text the hook gives it. */
(function () {
  'use strict';
  if (!/MicroMessenger/i.test(navigator.userAgent)) {
    return;
  }
  var hints = document.querySelectorAll('[data-wechat-hint]');
  if (hints.length) {
    hints.forEach(function (hint) {
      hint.hidden = false;
    });
    return;
  }
  if (!document.querySelector('a[download], a[href*="export="]')) {
    return;
  }
  var note = document.createElement('div');
  note.className = 'help-block help-info';
  note.setAttribute('data-wechat-hint', '');
  var text = document.createElement('p');
  text.textContent = document.currentScript.dataset.hint;
  note.appendChild(text);
  var main = document.getElementById('main') || document.body;
  main.insertBefore(note, main.firstChild);
})();
