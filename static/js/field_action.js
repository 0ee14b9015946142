// Field action page: "use my location" fills latitude and longitude from the phone's position,
// and the photo input says how many photos are chosen.
(function () {
  const button = document.getElementById("use-location");
  const status = document.getElementById("location-status");
  const latitude = document.getElementById("id_latitude");
  const longitude = document.getElementById("id_longitude");
  if (button && latitude && longitude) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        status.textContent = button.dataset.unsupported;
        return;
      }
      status.textContent = button.dataset.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
          status.textContent = button.dataset.found + " ±" + Math.round(position.coords.accuracy) + " m";
          button.disabled = false;
        },
        function () {
          status.textContent = button.dataset.failed;
          button.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
  const photos = document.getElementById("id_photos");
  const count = document.getElementById("photo-count");
  if (photos && count) {
    photos.addEventListener("change", function () {
      count.textContent = photos.files.length ? photos.files.length + " ✓" : "";
    });
  }
})();
