// YouTube video ids in the links the schedule shows, and the contract's canonical stream URL.
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

export const isVideoId = (value: string): boolean => VIDEO_ID.test(value);

/** The video id of a watch, live or youtu.be link; null for anything else (banners, Twitch, the site itself). */
export function videoIdFromUrl(href: string | undefined): string | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href.trim(), 'https://schedule.hololive.tv/');
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  let candidate: string | null | undefined = null;
  if (host === 'youtu.be') candidate = url.pathname.split('/')[1];
  else if (host === 'youtube.com' || host.endsWith('.youtube.com')) {
    candidate =
      url.pathname === '/watch'
        ? url.searchParams.get('v')
        : /^\/(?:live|shorts|embed)\/([^/]+)/.exec(url.pathname)?.[1];
  }
  return candidate && isVideoId(candidate) ? candidate : null;
}

/** The contract's `url`, as the original stored it. */
export const watchUrl = (videoId: string): string => `https://www.youtube.com/watch?v=${videoId}`;
