/* WeChat's built-in browser (its user agent says MicroMessenger) cannot download files: calendar
   entries (.ics), feeds, workbooks, documents. templates/includes/wechat_hint.html puts a hidden
   note beside such links on how to open the page in the phone's own browser; this shows it there.
   Done here rather than on the server, because public pages are cached whatever the browser. */
(function () {
  'use strict';
  if (!/MicroMessenger/i.test(navigator.userAgent)) {
    return;
  }
  document.querySelectorAll('[data-wechat-hint]').forEach(function (hint) {
    hint.hidden = false;
  });
})();
