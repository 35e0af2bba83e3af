// Video facades: a link with a poster stands for a hosted video, so that
// nothing is asked of the video's host until the visitor chooses to play
// it. A click swaps the link for the host's player; without this script,
// the link leads to the video's page.
document.addEventListener('click', (event) => {
  const facade = event.target instanceof Element && event.target.closest('a.video-facade');
  // A click that opens a new tab keeps the link's own behaviour.
  if (!facade || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const player = document.createElement('iframe');
  player.src = facade.dataset.embed;
  player.title = facade.dataset.title;
  player.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
  player.allowFullscreen = true;
  player.referrerPolicy = 'strict-origin-when-cross-origin';
  facade.replaceWith(player);
  player.focus();
});
