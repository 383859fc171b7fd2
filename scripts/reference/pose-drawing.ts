// Draws the pose ControlNet fixture's skeleton (tests/fixtures/reference/pose.json) with Stir's own
// pose.ts, one drawing per generated frame at the photo's size, into
// tests/fixtures/reference/data/video-pose.drawing.f32.gz ([F, 3, H, W] float32 in 0-1, gzipped).
// scripts/reference/reference_fixtures.py runs it and feeds exactly these drawings to diffusers'
// ControlNetModel, so the comparison checks the ControlNet and UNet, not two skeleton renderers.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { poseConditioning } from '../../src/engine/diffusion/pose.js';
import { PoseSchema } from '../../src/shared/index.js';
import { readPoseFixture } from '../../tests/helpers/reference-packs.js';

const fixture = readPoseFixture();
const pose = PoseSchema.parse(fixture.pose);
const drawings = poseConditioning([pose], fixture.frameTimes, fixture.photo, fixture.photo)!;
const out = fileURLToPath(
  new URL('../../tests/fixtures/reference/data/video-pose.drawing.f32.gz', import.meta.url),
);
writeFileSync(
  out,
  gzipSync(Buffer.from(drawings.buffer, drawings.byteOffset, drawings.byteLength), { level: 9 }),
);
console.log(
  `pose drawings: ${fixture.frameTimes.length} frames of ${fixture.photo.width}x${fixture.photo.height} -> ${out}`,
);
