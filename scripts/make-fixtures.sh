#!/usr/bin/env bash
# Generates the media test fixtures in test/fixtures/media/ with ffmpeg (lavfi sources, no input files).
# Idempotent: existing files are kept unless FORCE=1. The outputs are committed, so tests never run this.
#   scripts/make-fixtures.sh            create missing fixtures
#   FORCE=1 scripts/make-fixtures.sh    regenerate all
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/media
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
need() { [[ "${FORCE:-0}" == 1 || ! -s "$out/$1" ]]; }

# Camera-like video: 1280x720, 20 fps, 10 s, a keyframe every 2 s (GOP 40, no scene-cut keyframes),
# no B-frames, parameter sets repeated before every IDR, an access-unit delimiter per frame.
src_video="testsrc2=size=1280x720:rate=20:duration=10"

if need h264-720p20.h264; then
  ff -f lavfi -i "$src_video" -pix_fmt yuv420p \
    -c:v libx264 -profile:v main -preset veryfast -b:v 300k -maxrate 400k -bufsize 600k \
    -g 40 -keyint_min 40 -sc_threshold 0 -bf 0 \
    -x264-params "repeat-headers=1:aud=1:scenecut=0:open-gop=0" \
    -f h264 "$out/h264-720p20.h264"
fi

if need h265-720p20.h265; then
  ff -f lavfi -i "$src_video" -pix_fmt yuv420p \
    -c:v libx265 -preset veryfast -b:v 300k \
    -x265-params "keyint=40:min-keyint=40:scenecut=0:bframes=0:repeat-headers=1:aud=1:open-gop=0:log-level=error" \
    -f hevc "$out/h265-720p20.h265"
fi

# 1080p H.264 is coded as 1920x1088 with frame cropping: exercises the SPS crop arithmetic. 2 s only.
if need h264-1080p20-crop.h264; then
  ff -f lavfi -i "mandelbrot=size=1920x1080:rate=20" -t 2 -pix_fmt yuv420p \
    -c:v libx264 -profile:v high -preset veryfast -b:v 200k \
    -g 40 -keyint_min 40 -sc_threshold 0 -bf 0 \
    -x264-params "repeat-headers=1:aud=1:scenecut=0" -f h264 "$out/h264-1080p20-crop.h264"
fi

# A second H.264 resolution (640x360): a resolution change must read as a different stream config. 2 s only.
if need h264-360p20.h264; then
  ff -f lavfi -i "testsrc2=size=640x360:rate=20:duration=2" -pix_fmt yuv420p \
    -c:v libx264 -profile:v main -preset veryfast -b:v 100k \
    -g 40 -keyint_min 40 -sc_threshold 0 -bf 0 \
    -x264-params "repeat-headers=1:aud=1:scenecut=0" -f h264 "$out/h264-360p20.h264"
fi

# H.265 with a conformance window: 356 lines are coded as 360 (multiple of the 8-sample minimum CU). 1 s only.
if need h265-640x356-crop.h265; then
  ff -f lavfi -i "testsrc2=size=640x356:rate=20:duration=1" -pix_fmt yuv420p \
    -c:v libx265 -preset veryfast -b:v 100k \
    -x265-params "keyint=40:min-keyint=40:scenecut=0:bframes=0:repeat-headers=1:aud=1:log-level=error" \
    -f hevc "$out/h265-640x356-crop.h265"
fi

# AAC-LC, 16 kHz mono, ADTS framing (as the camera's 0x87/0x90 payloads), 10 s.
if need aac-16k-mono.aac; then
  ff -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=10" -ac 1 \
    -c:a aac -profile:a aac_low -b:a 32k -f adts "$out/aac-16k-mono.aac"
fi

# G.711 mu-law, 8 kHz mono, raw (no container), 10 s.
if need ulaw-8k-mono.ulaw; then
  ff -f lavfi -i "sine=frequency=1000:sample_rate=8000:duration=10" -ac 1 \
    -c:a pcm_mulaw -f mulaw "$out/ulaw-8k-mono.ulaw"
fi

ls -l "$out"
