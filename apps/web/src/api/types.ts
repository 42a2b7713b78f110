// The API's answers as the pages use them (docs/openapi.json has the full schemas).

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CameraStatus {
  state: string;
  lastFrameAt: string | null;
  reason?: string;
  source: 'recorder' | 'recordings';
  reportedAt?: string;
}

export interface Camera {
  id: number;
  name: string;
  uid: string;
  mac: string;
  ip: string | null;
  port: number | null;
  model: string;
  firmware: string | null;
  flavour: string | null;
  enabled: boolean;
  quality: 'hd' | 'sd';
  hasEnr: boolean;
  createdAt: string;
  updatedAt: string;
  status: CameraStatus;
}

export interface NewCamera {
  name: string;
  uid: string;
  enr: string;
  mac: string;
  ip?: string | null;
  port?: number | null;
  model: string;
  enabled?: boolean;
  quality?: 'hd' | 'sd';
}

export interface MotionEvent {
  id: number;
  camera: number;
  kind: string;
  start: string;
  end: string | null;
  peakScore: number;
  preRollSeconds: number;
  postRollSeconds: number;
  protected: boolean;
  clipFrom: string;
  clipTo: string | null;
  clipUrl: string;
}

export type ExportState = 'queued' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface Export {
  id: string;
  camera: number;
  from: string;
  to: string;
  state: ExportState;
  progress: number;
  bytes: number | null;
  error: string | null;
  fileUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CameraUsage {
  cameraId: number;
  segments: number;
  bytes: number;
  oldest: string | null;
  newest: string | null;
  bytesPerDay: number;
  estimatedDaysKept: number | null;
  limitedBy: 'maxAge' | 'maxBytes' | 'disk' | null;
}

export interface Storage {
  totalBytes: number;
  volumeTotalBytes: number | null;
  volumeFreeBytes: number | null;
  minFreeBytes: number | null;
  cameras: CameraUsage[];
}

export interface Policy {
  cameraId: number | null;
  maxAgeSeconds: number | null;
  maxBytes: number | null;
  minFreeBytes: number | null;
}

export interface Policies {
  global: Policy | null;
  cameras: Policy[];
}

export interface JobRef {
  jobId: string;
  deduplicated: boolean;
  statusUrl: string;
}

export interface JobStatus {
  id: string;
  name: string;
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  result: unknown;
  error: string | null;
  attemptsMade: number;
}

export interface CloudStatus {
  loggedIn: boolean;
  email?: string;
  userId?: string;
  loggedInAt?: string;
  refreshedAt?: string;
  lastImport?: { at: string; created: number; updated: number; unchanged: number; skipped: number };
  problem?: string;
}

/** GET /cameras/:id/controls (ControlsDto). */
export interface CameraControl {
  name: string;
  kind: 'switch' | 'select' | 'number' | 'time' | 'info' | 'points' | 'ptz';
  options?: string[];
  min?: number;
  max?: number;
  readable: boolean;
  writable: boolean;
  accessory: boolean;
  value: unknown;
  error?: string;
  /** camera-time: camera clock − recorder clock when read, seconds. */
  offsetSeconds?: number;
  commands: number[];
}

export interface CameraControls {
  cameraId: number;
  model: string;
  controls: CameraControl[];
}
