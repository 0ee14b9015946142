// Case list: drop empty filters from the live-search request, so the address bar (pushed by
// htmx) and the export link carry only the filters actually chosen.
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.elt || event.detail.elt.id !== "case-filters") return;
  const data = event.detail.formData;
  if (!data) return;
  for (const key of Array.from(new Set(data.keys()))) {
    const values = data.getAll(key).filter(function (value) {
      return value !== "" && value !== "unknown";
    });
    data.delete(key);
    values.forEach(function (value) { data.append(key, value); });
  }
});
