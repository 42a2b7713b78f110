import type { ComponentChildren } from 'preact';
import { useSession } from '../app-context';
import { useAction } from '../hooks';
import { routeHash, type Route } from '../router';

const SECTIONS: { label: string; route: Route; matches: Route['page'][] }[] = [
  { label: 'Live', route: { page: 'grid' }, matches: ['grid', 'live', 'camera'] },
  { label: 'Timeline', route: { page: 'timeline' }, matches: ['timeline'] },
  { label: 'Events', route: { page: 'events' }, matches: ['events'] },
  { label: 'Exports', route: { page: 'exports' }, matches: ['exports'] },
  { label: 'Storage', route: { page: 'storage' }, matches: ['storage'] },
  { label: 'Cameras', route: { page: 'cameras' }, matches: ['cameras'] },
];

/** Header with the sections and sign-out; the page below. `inert` while the sign-in dialog is over it. */
export function Shell({ route, inert, children }: { route: Route; inert: boolean; children: ComponentChildren }) {
  const session = useSession();
  const signOut = useAction(() => session.signOut());
  return (
    <div class="shell" inert={inert} aria-hidden={inert ? 'true' : undefined}>
      <header class="top">
        <a class="brand" href="#/">
          wyze-nvr
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <a key={s.label} href={routeHash(s.route)} aria-current={s.matches.includes(route.page) ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        <button type="button" class="quiet sign-out" onClick={() => void signOut.run()} disabled={signOut.running}>
          Sign out
        </button>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
