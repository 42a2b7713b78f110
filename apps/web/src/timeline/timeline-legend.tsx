import { ACTIVITY_COLOUR, EVENT_COLOUR, gapLook, legendReasons, RECORDED_COLOUR } from './gap-reasons';

const SHOWN_REASONS = legendReasons(['offline', 'network_loss', 'stalled', 'disk_full', 'disk_error', 'recorder_down', 'discovery_timeout', 'auth_refused']);

function Swatch({ colour, label }: { colour: string; label: string }) {
  return (
    <li>
      <span class="swatch" style={{ background: colour }} aria-hidden="true" />
      {label}
    </li>
  );
}

/** What the timeline's colours mean. */
export function TimelineLegend() {
  return (
    <ul class="timeline-legend" aria-label="Timeline legend">
      <Swatch colour={RECORDED_COLOUR} label="recorded" />
      <Swatch colour={EVENT_COLOUR} label="motion event" />
      <Swatch colour={ACTIVITY_COLOUR} label="motion activity" />
      {SHOWN_REASONS.map((r) => (
        <Swatch key={r} colour={gapLook(r).colour} label={gapLook(r).label} />
      ))}
    </ul>
  );
}
