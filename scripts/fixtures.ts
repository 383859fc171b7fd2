// `npm run fixtures`: generates the test data the repository does not commit (tests/fixtures/generated/).
// Deterministic and fast; tests that need the data also generate it on demand when it is missing.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeFixturePacks } from './fixtures/tiny-packs.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const generated = join(repoRoot, 'tests/fixtures/generated');

const started = performance.now();
const packs = join(generated, 'packs');
writeFixturePacks(packs, repoRoot, { force: true });
console.log(`fixtures: tiny model packs in ${packs} (${Math.round(performance.now() - started)} ms)`);
