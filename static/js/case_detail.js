// The case file's tabs: open the tab named in the URL's hash (#field, #timeline, ...) and keep
// the hash in step as tabs change, so a redirect after a form lands on the tab it came from.
(function () {
  const tabs = document.getElementById("case-tabs");
  if (!tabs || !window.bootstrap) return;
  const show = function (name) {
    const button = tabs.querySelector('[data-tab="' + name + '"]');
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  };
  const hash = window.location.hash.replace("#", "");
  // A form shown again with its errors keeps the server's tab.
  if (hash && !tabs.dataset.keep) show(hash);
  tabs.addEventListener("shown.bs.tab", function (event) {
    const name = event.target.dataset.tab;
    if (name) history.replaceState(null, "", "#" + name);
  });
  window.addEventListener("hashchange", function () {
    show(window.location.hash.replace("#", ""));
  });
})();
