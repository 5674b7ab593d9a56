// The print sheet's button (templates/home/notice_print.html): shown only where it works.
document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
});
