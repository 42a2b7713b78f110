import { useEffect, useState } from 'preact/hooks';
import { AppContext, type AppServices } from './app-context';
import { Shell } from './components/shell';
import { useHashRoute } from './hooks';
import { CameraPage } from './pages/camera-page';
import { CamerasPage } from './pages/cameras-page';
import { EventsPage } from './pages/events-page';
import { ExportsPage } from './pages/exports-page';
import { GridPage } from './pages/grid-page';
import { LivePage } from './pages/live-page';
import { StoragePage } from './pages/storage-page';
import { TimelinesPage } from './pages/timelines-page';
import { routeHash, type Route } from './router';
import type { SessionState } from './session/session';
import { SignIn } from './session/sign-in';

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'grid':
      return <GridPage />;
    case 'live':
      return <LivePage cameraId={route.cameraId} />;
    case 'camera':
      return <CameraPage cameraId={route.cameraId} at={route.at} />;
    case 'events':
      return <EventsPage camera={route.camera} day={route.day} />;
    case 'timeline':
      return <TimelinesPage day={route.day} />;
    case 'exports':
      return <ExportsPage />;
    case 'storage':
      return <StoragePage />;
    case 'cameras':
      return <CamerasPage />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page at <code>{route.path}</code>. <a href={routeHash({ page: 'grid' })}>Back to the cameras</a>.
          </p>
        </section>
      );
  }
}

/**
 * The app: the sign-in form until there is a session; then the page of the hash route. When the session
 * ends under a page (a 401), the page stays mounted — inert, with what was typed in it — under the sign-in
 * dialog, and the call that met the 401 is made again after signing in.
 */
export function App({ services }: { services: AppServices }) {
  const [session, setSession] = useState<SessionState>(services.session.state);
  useEffect(() => services.session.subscribe(setSession), [services.session]);
  useEffect(() => {
    if (services.session.state.kind === 'checking') void services.session.check().catch(() => setSession({ kind: 'signed-out', expired: false }));
  }, [services.session]);
  const route = useHashRoute();
  useEffect(() => {
    // Pages are announced by their heading; moving focus to the page lets a screen reader start there.
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);

  if (session.kind === 'checking') return <p class="splash" aria-busy="true">Loading…</p>;
  const keepPage = session.kind === 'signed-in' || session.expired;
  return (
    <AppContext.Provider value={services}>
      {keepPage && (
        <Shell route={route} inert={session.kind !== 'signed-in'}>
          <PageFor route={route} />
        </Shell>
      )}
      {session.kind === 'signed-out' && <SignIn expired={session.expired} />}
    </AppContext.Provider>
  );
}
