// Index rows for the timeline benchmarks: cameras with 60 s segments (no files: the timeline draws from
// the index only), a 2-minute gap every 3 hours with rotating reasons, and an event every 40 minutes.
import type { WebDemo } from '../../test/support/web-app';

const SEGMENT_US = 60_000_000;
const REASONS = ['offline', 'network_loss', 'recorder_down', 'stalled', 'disk_full'];

/** Seeds `cameras` cameras with `days` days of rows ending at `endUs`; their ids. */
export async function seedTimelines(demo: WebDemo, cameras: number, days: number, endUs: number): Promise<number[]> {
  const rows = await demo.query<{ id: number }>(
    `INSERT INTO cameras (name, uid, enr_encrypted, mac, model, enabled)
     SELECT 'timeline camera ' || n, 'TLINE' || lpad(n::text, 15, '0'), 'v1:AAAA', '2CAA8E' || lpad(to_hex(n), 6, '0'), 'WYZE_CAKP2JFUS', false
     FROM generate_series(1, $1::int) AS n RETURNING id`,
    [cameras],
  );
  const ids = rows.map((r) => Number(r.id));
  const startUs = endUs - days * 86_400_000_000;
  const perCamera = Math.floor((endUs - startUs) / SEGMENT_US);
  // Segments, leaving out the two minutes after every third hour (the gaps).
  await demo.query(
    `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, video_frames, keyframes, video_codec, width, height, state)
     SELECT c, $2::bigint + i * $3::bigint, $2::bigint + (i + 1) * $3::bigint, 'bench/' || c || '/' || i || '.mp4', 1500000, 1200, 60, 'avc1.4d401f', 1920, 1080, 'closed'
     FROM unnest($1::int[]) AS c, generate_series(0, $4::int - 1) AS i
     WHERE i % 180 NOT IN (1, 2)`,
    [ids, startUs, SEGMENT_US, perCamera],
  );
  await demo.query(
    `INSERT INTO gaps (camera_id, start_us, end_us, reason)
     SELECT c, $2::bigint + (i + 1) * $3::bigint, $2::bigint + (i + 3) * $3::bigint, ($5::text[])[1 + (i / 180) % 5]
     FROM unnest($1::int[]) AS c, generate_series(0, $4::int - 1, 180) AS i`,
    [ids, startUs, SEGMENT_US, perCamera, REASONS],
  );
  await demo.query(
    `INSERT INTO events (camera_id, kind, start_us, end_us, peak_score, pre_roll_us, post_roll_us)
     SELECT c, 'motion', $2::bigint + i * $3::bigint + 17000000, $2::bigint + i * $3::bigint + 29000000, 2.0, 2000000, 2000000
     FROM unnest($1::int[]) AS c, generate_series(5, $4::int - 1, 40) AS i`,
    [ids, startUs, SEGMENT_US, perCamera],
  );
  // As autovacuum leaves a week of insert-only rows: statistics for the planner, and the visibility map
  // that lets an index-only scan skip the table (a bulk insert just done has neither).
  await demo.query('VACUUM ANALYZE segments, gaps, events');
  return ids;
}
