// Click-to-load player: the YouTube iframe (privacy-enhanced host) is created only when the reader clicks, so nothing
// is requested from YouTube before that. Without this script the facade stays a plain link to the video.
(function () {
  'use strict';
  document.querySelectorAll('.video-facade').forEach(function (facade) {
    var link = facade.querySelector('a.video-start');
    var embed = facade.getAttribute('data-embed');
    if (!link || !embed || embed.indexOf('https://www.youtube-nocookie.com/embed/') !== 0) return;
    link.addEventListener('click', function (event) {
      event.preventDefault();
      var frame = document.createElement('iframe');
      frame.src = embed + '?autoplay=1';
      frame.title = facade.getAttribute('data-title') || 'Webinar recording';
      frame.setAttribute('allow', 'autoplay; encrypted-media; picture-in-picture; fullscreen');
      frame.setAttribute('allowfullscreen', '');
      frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      frame.className = 'video-frame';
      facade.replaceChildren(frame);
      frame.focus();
    });
  });
})();
