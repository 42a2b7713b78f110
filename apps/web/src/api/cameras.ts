import type { ApiClient } from './api-client';
import { listAll } from './paging';
import type { Camera, Page } from './types';

/** Every camera (the list is paged by 500). */
export function loadCameras(api: ApiClient, signal?: AbortSignal): Promise<Camera[]> {
  return listAll<Camera>((cursor) => api.get<Page<Camera>>(`/cameras?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, signal));
}

/** A camera's name by id, for lists that hold ids. */
export function cameraNames(cameras: Camera[] | undefined): (id: number) => string {
  const byId = new Map((cameras ?? []).map((c) => [c.id, c.name]));
  return (id) => byId.get(id) ?? `camera ${id}`;
}
