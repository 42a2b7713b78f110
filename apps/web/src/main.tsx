import { render } from 'preact';
import { ApiClient } from './api/api-client';
import { App } from './app';
import { routeHash, type Route } from './router';
import { Session } from './session/session';
import './styles.css';

const session = new Session();
const services = {
  session,
  api: new ApiClient(session),
  navigate(route: Route, opts: { replace?: boolean } = {}) {
    const hash = routeHash(route);
    if (opts.replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    // pushState and replaceState do not fire hashchange; the router listens for it.
    dispatchEvent(new HashChangeEvent('hashchange'));
  },
};
render(<App services={services} />, document.getElementById('app')!);
