// An intermediate frame without any API: the SCO must climb two parents to find it.
window.addEventListener('DOMContentLoaded', function () {
  document.getElementById('inner').src = new URLSearchParams(location.search).get('src');
});
