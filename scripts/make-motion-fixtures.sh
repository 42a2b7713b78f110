#!/usr/bin/env bash
# Generates the motion-detector evaluation videos in bench/media/motion/ (git-ignored) with ffmpeg lavfi
# sources: a static textured scene, temporal sensor noise, textured objects moving at known times.
# What is drawn and when comes from test/fixtures/motion/labels.json, the same table the evaluation
# (scripts/eval-motion.ts) reads its labels from, so the two cannot disagree.
# Every fixture is encoded as H.264 and H.265 in three rate-control modes, camera-like: GOP 2 s
# (40 frames at 20 fps), no B-frames, no scene-cut keyframes, parameter sets before every IDR,
# two slices per picture:
#   cqp  constant QP
#   vbr  constant quality capped by a VBV (maxrate/bufsize)
#   cbr  constant bitrate (H.264 with HRD filler data)
# Idempotent: existing files are kept unless FORCE=1; safe to run concurrently.
#   scripts/make-motion-fixtures.sh                 all fixtures
#   scripts/make-motion-fixtures.sh objects night   only these
set -euo pipefail
cd "$(dirname "$0")/.."
labels=test/fixtures/motion/labels.json
out=${MOTION_FIXTURES_DIR:-bench/media/motion}
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# One line per fixture: name <TAB> filtergraph ending in [v].
graphs=$(node - "$labels" "$@" <<'JS'
const t = require(require('node:path').resolve(process.argv[2]));
const only = process.argv.slice(3);
const { width: W, height: H, fps, durationS } = t;
for (const f of t.fixtures) {
  if (only.length && !only.includes(f.name)) continue;
  // The background: one frame of a fractal (texture and flat areas), repeated.
  const parts = [`mandelbrot=size=${W}x${H}:rate=${fps},trim=end_frame=1,loop=loop=-1:size=1,setpts=N/(${fps}*TB),format=yuv420p[bg]`];
  let last = 'bg';
  f.objects.forEach((o, i) => {
    // A textured object (test pattern with a moving part) moving linearly from x0 to x1 during [fromS, toS).
    parts.push(`testsrc2=size=${o.w}x${o.h}:rate=${fps},format=yuv420p[o${i}]`);
    const p = `clip((t-${o.fromS})/${o.toS - o.fromS},0,1)`;
    const x = `(W-w)*(${o.x0}+${o.x1 - o.x0}*${p})`;
    const y = `(H-h)*${o.y}`;
    parts.push(`[${last}][o${i}]overlay=x='${x}':y='${y}':enable='gte(t,${o.fromS})*lt(t,${o.toS})'[m${i}]`);
    last = `m${i}`;
  });
  const scene = {
    day: 'noise=alls=6:allf=t',
    // A cloud-like dimming: 20 s down to -0.2 brightness (~50 levels), 10 s dark, 20 s back up.
    lighting: `eq=brightness='-0.2*(clip((t-5)/20,0,1)-clip((t-35)/20,0,1))':eval=frame,noise=alls=6:allf=t`,
    // Night: infrared-like grey, dark, low contrast, high sensor gain (strong noise).
    night: 'eq=brightness=-0.3:contrast=0.5,hue=s=0,noise=alls=22:allf=t',
  }[f.scene];
  if (!scene) throw new Error(`unknown scene ${f.scene}`);
  parts.push(`[${last}]${scene},trim=duration=${durationS},format=yuv420p[v]`);
  console.log(`${f.name}\t${parts.join(';')}`);
}
JS
)

gop=$(node -p "require('./$labels').gopFrames")
x264_common=(-c:v libx264 -preset veryfast -tune zerolatency -threads 2 -g "$gop" -keyint_min "$gop" -sc_threshold 0 -bf 0)
x264_params="repeat-headers=1:aud=1:scenecut=0:open-gop=0:slices=2"
x265_common=(-c:v libx265 -preset ultrafast)
x265_params="keyint=$gop:min-keyint=$gop:scenecut=0:bframes=0:repeat-headers=1:aud=1:open-gop=0:slices=2:frame-threads=1:pools=2:log-level=error"
rate=800 # kbit/s for the bitrate-constrained modes: ~0.04 bit/pixel, about what a 2K camera gets at 2-3 Mbit/s

while IFS=$'\t' read -r name graph; do
  [[ -n "$name" ]] || continue
  for enc in h264-cqp h264-vbr h264-cbr h265-cqp h265-vbr h265-cbr; do
    ext=${enc%%-*}; ext=${ext#h}
    file="$out/$name.$enc.$ext"
    if [[ "${FORCE:-0}" != 1 && -s "$file" ]]; then continue; fi
    echo "fixture $file" >&2
    case $enc in
      h264-cqp) args=("${x264_common[@]}" -qp 28 -x264-params "$x264_params") ;;
      h264-vbr) args=("${x264_common[@]}" -crf 23 -maxrate "${rate}k" -bufsize "$((rate * 2))k" -x264-params "$x264_params") ;;
      h264-cbr) args=("${x264_common[@]}" -b:v "${rate}k" -minrate "${rate}k" -maxrate "${rate}k" -bufsize "${rate}k" -x264-params "$x264_params:nal-hrd=cbr:filler=1") ;;
      h265-cqp) args=("${x265_common[@]}" -x265-params "$x265_params:qp=30") ;;
      h265-vbr) args=("${x265_common[@]}" -x265-params "$x265_params:crf=28:vbv-maxrate=$rate:vbv-bufsize=$((rate * 2))") ;;
      h265-cbr) args=("${x265_common[@]}" -x265-params "$x265_params:bitrate=$rate:vbv-maxrate=$rate:vbv-bufsize=$rate:strict-cbr=1") ;;
    esac
    fmt=h264; [[ $ext == 265 ]] && fmt=hevc
    # A name of this process's own: test files running side by side may make the same fixture at once,
    # and each rename then puts a whole file in place.
    ff -filter_complex "$graph" -map '[v]' -pix_fmt yuv420p "${args[@]}" -f "$fmt" "$file.part.$$"
    mv -f "$file.part.$$" "$file"
  done
done <<< "$graphs"
