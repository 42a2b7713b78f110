import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { loadCameras } from '../api/cameras';
import type { Camera } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { ErrorNote } from '../components/status';
import { useAction, useResource } from '../hooks';
import { routeHash } from '../router';
import { AddCameraForm } from './add-camera-form';
import { CloudImport } from './cloud-import';

/** The cameras: enable, disable, delete; add one by hand, or import them from the Wyze account. */
export function CamerasPage() {
  const api = useApi();
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  const list = cameras.data ?? [];
  return (
    <section aria-labelledby="cameras-title">
      <div class="page-head">
        <h1 id="cameras-title">Cameras</h1>
        <span class="muted">{cameras.data ? `${list.length} camera${list.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <ErrorNote error={cameras.error} what="The cameras could not be loaded" />
      {list.length > 0 && (
        <ul class="camera-list" aria-label="Cameras">
          {list.map((c) => (
            <CameraRow key={c.id} camera={c} onChanged={cameras.reload} />
          ))}
        </ul>
      )}
      <h2 id="add-title">Add a camera</h2>
      <AddCameraForm onAdded={cameras.reload} />
      <h2 id="cloud-title">Import from your Wyze account</h2>
      <CloudImport onImported={cameras.reload} />
    </section>
  );
}

function CameraRow({ camera: c, onChanged }: { camera: Camera; onChanged: () => void }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const toggle = useAction(async () => {
    await api.post(`/cameras/${c.id}/${c.enabled ? 'disable' : 'enable'}`);
    onChanged();
  });
  const remove = useAction(async () => {
    await api.delete(`/cameras/${c.id}`);
    setConfirming(false);
    onChanged();
  });
  return (
    <li class="camera-row card" data-camera={c.id}>
      <div class="camera-main">
        <a class="camera-name" href={routeHash({ page: 'camera', cameraId: c.id })}>
          {c.name}
        </a>
        <StateBadge status={c.status} />
      </div>
      <dl class="camera-facts">
        <div>
          <dt>Model</dt>
          <dd>{c.model}</dd>
        </div>
        <div>
          <dt>IP</dt>
          <dd>{c.ip ?? 'by discovery'}</dd>
        </div>
        <div>
          <dt>MAC</dt>
          <dd>{c.mac}</dd>
        </div>
        <div>
          <dt>UID</dt>
          <dd>{c.uid}</dd>
        </div>
        <div>
          <dt>Key (ENR)</dt>
          <dd>{c.hasEnr ? 'stored, encrypted' : 'missing'}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" onClick={() => void toggle.run()} disabled={toggle.running} aria-label={`${c.enabled ? 'Disable' : 'Enable'} ${c.name}`}>
          {c.enabled ? 'Disable' : 'Enable'}
        </button>
        {confirming ? (
          <span class="confirm" role="group" aria-label={`Delete ${c.name}?`}>
            <span>Delete {c.name}?</span>
            <button type="button" class="danger" onClick={() => void remove.run()} disabled={remove.running}>
              Yes, delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              No
            </button>
          </span>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${c.name}`}>
            Delete
          </button>
        )}
      </div>
      <ErrorNote error={toggle.error ?? remove.error} />
    </li>
  );
}
