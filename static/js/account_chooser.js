// Sub-account chooser: a click on a suggestion (htmx loads them below the field) puts its
// virtual number into the field and closes the list. Without JavaScript the field is typed.
(function () {
  document.addEventListener("click", function (event) {
    const choice = event.target.closest("[data-fill]");
    if (!choice) return;
    const list = choice.closest(".account-choices");
    const input = document.getElementById(choice.dataset.fills || (list && list.dataset.fills));
    if (!input) return;
    input.value = choice.dataset.fill;
    if (list) list.replaceChildren();
    input.focus();
  });
})();
