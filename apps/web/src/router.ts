// Hash routes (`/#/cameras/3`): the server only ever serves `/` and `/assets/*`, so no page path can
// collide with a REST route (`/cameras/3` is the API's), a reload or a bookmark needs no server-side
// fallback, and the REST routes stay where they are.

export type Route =
  | { page: 'grid' }
  | { page: 'live'; cameraId: number }
  | { page: 'camera'; cameraId: number; at?: string }
  | { page: 'events'; camera?: number; day?: string }
  | { page: 'timeline'; day?: string }
  | { page: 'exports' }
  | { page: 'storage' }
  | { page: 'cameras' }
  | { page: 'not-found'; path: string };

const ID = /^[1-9]\d{0,9}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function id(s: string | null | undefined): number | undefined {
  return s && ID.test(s) && Number(s) <= 2_147_483_647 ? Number(s) : undefined;
}

/** The route of a location hash (`#/events?camera=2`); anything unknown is `not-found`, never an exception. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?', 2);
  const q = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  const [a, b, c] = parts;
  if (parts.length === 0) return { page: 'grid' };
  if (a === 'cameras' && parts.length === 1) return { page: 'cameras' };
  if (a === 'cameras' && id(b) !== undefined) {
    if (parts.length === 2) return { page: 'camera', cameraId: id(b)!, ...(q.get('at') ? { at: q.get('at')! } : {}) };
    if (parts.length === 3 && c === 'live') return { page: 'live', cameraId: id(b)! };
  }
  if (a === 'events' && parts.length === 1) {
    const camera = id(q.get('camera'));
    const day = q.get('day');
    return { page: 'events', ...(camera !== undefined ? { camera } : {}), ...(day && DAY.test(day) ? { day } : {}) };
  }
  if (a === 'timeline' && parts.length === 1) {
    const day = q.get('day');
    return { page: 'timeline', ...(day && DAY.test(day) ? { day } : {}) };
  }
  if (a === 'exports' && parts.length === 1) return { page: 'exports' };
  if (a === 'storage' && parts.length === 1) return { page: 'storage' };
  return { page: 'not-found', path };
}

/** The hash of a route; parseRoute(routeHash(r)) is r. */
export function routeHash(r: Route): string {
  const query = (entries: [string, string | number | undefined][]) => {
    const q = new URLSearchParams();
    for (const [k, v] of entries) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  switch (r.page) {
    case 'grid':
      return '#/';
    case 'live':
      return `#/cameras/${r.cameraId}/live`;
    case 'camera':
      return `#/cameras/${r.cameraId}${query([['at', r.at]])}`;
    case 'events':
      return `#/events${query([['camera', r.camera], ['day', r.day]])}`;
    case 'timeline':
      return `#/timeline${query([['day', r.day]])}`;
    case 'exports':
      return '#/exports';
    case 'storage':
      return '#/storage';
    case 'cameras':
      return '#/cameras';
    case 'not-found':
      return `#${r.path}`;
  }
}
