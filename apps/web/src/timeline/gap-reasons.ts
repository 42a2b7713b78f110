// Why footage is missing, as the timeline says it: a colour for the bar and legend, and words for the
// tooltip, the legend and the playback notice. Reasons are the recorder's (libs/db GapReason); one the app
// does not know yet is shown by its own name, never dropped.

export interface GapLook {
  /** Short words: "recorder down". */
  label: string;
  /** A sentence for the tooltip. */
  explanation: string;
  colour: string;
}

const LOOKS: Record<string, GapLook> = {
  offline: { label: 'camera offline', explanation: 'The camera did not answer.', colour: '#f85149' },
  discovery_timeout: { label: 'camera not found', explanation: 'The camera could not be found on the network.', colour: '#db6d28' },
  auth_refused: { label: 'sign-in refused', explanation: 'The camera refused the recorder’s key (ENR).', colour: '#bc4c00' },
  network_loss: { label: 'network loss', explanation: 'Too many packets were lost on the way.', colour: '#d29922' },
  disk_error: { label: 'disk error', explanation: 'Writing to the recordings disk failed.', colour: '#a371f7' },
  disk_full: { label: 'disk full', explanation: 'The recordings disk was full.', colour: '#8957e5' },
  recorder_down: { label: 'recorder down', explanation: 'The recorder was not running.', colour: '#6e7681' },
  stalled: { label: 'stalled', explanation: 'The camera stopped sending video.', colour: '#e3b341' },
  disabled: { label: 'disabled', explanation: 'Recording was turned off for this camera.', colour: '#484f58' },
  handover: { label: 'handover', explanation: 'Another recorder took the camera over.', colour: '#db61a2' },
};

const UNKNOWN_COLOUR = '#9e6a03';

export function gapLook(reason: string): GapLook {
  return LOOKS[reason] ?? { label: reason.replace(/_/g, ' '), explanation: `No footage (${reason.replace(/_/g, ' ')}).`, colour: UNKNOWN_COLOUR };
}

/** The legend's entries: the reasons present, in a fixed order (known ones first). */
export function legendReasons(reasons: Iterable<string>): string[] {
  const present = new Set(reasons);
  const known = Object.keys(LOOKS).filter((r) => present.has(r));
  const other = [...present].filter((r) => !(r in LOOKS)).sort();
  return [...known, ...other];
}

/** Colour of recorded footage, of time with neither footage nor a known gap, of events and motion. */
export const RECORDED_COLOUR = '#2ea043';
export const UNKNOWN_TIME_COLOUR = '#23272e';
export const EVENT_COLOUR = '#5aa9ff';
export const ACTIVITY_COLOUR = '#f0883e';
