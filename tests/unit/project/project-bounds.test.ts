// Opening a hostile .stir costs bounded time and memory: only the entries project.json names are read,
// each capped while it unpacks and checked against its CRC; overlapping entries and more regions than a
// photo can have are refused in words.
import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LIMITS, StirError, type Region } from '../../../src/shared/index.js';
import { decodeProject, encodeProject, type ProjectContent } from '../../../src/engine/project/codec.js';
import { writeZip } from '../../../src/engine/project/zip.js';
import { unzipSync } from 'fflate';
import { withAliases, withCrc, withDeclaredSize } from '../../helpers/zip-surgery.js';

const WIDTH = 48;
const HEIGHT = 32;

function region(id: string): Region {
  const data = new Uint8Array(WIDTH * HEIGHT).map((_, i) => (i % WIDTH < WIDTH / 2 ? 255 : 0));
  return {
    id,
    name: `Region ${id}`,
    color: '#3366ff',
    visible: true,
    clicks: [{ x: 5, y: 5, positive: true }],
    box: null,
    mask: { width: WIDTH, height: HEIGHT, data },
    motion: {
      prompt: 'sway',
      strength: 4,
      direction: 0,
      seed: 1,
      start: 0,
      end: null,
      tempo: null,
      paths: [],
      anchors: [],
      freeze: [],
    },
    pose: null,
  };
}

async function project(regions: Region[] = [region('r1')]): Promise<Uint8Array> {
  const photo = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#88aa44' } })
    .png()
    .toBuffer();
  const content: ProjectContent = {
    name: 'field.png',
    format: 'png',
    photo: { bytes: new Uint8Array(photo), mime: 'image/png', width: WIDTH, height: HEIGHT },
    regions,
    settings: DEFAULT_SETTINGS,
    regionsMade: regions.length,
  };
  return encodeProject(content, new Date('2024-05-01T12:00:00Z'));
}

async function refusal(bytes: Uint8Array): Promise<StirError> {
  const caught = await decodeProject(bytes, 'field.stir').then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(StirError);
  expect((caught as StirError).code).toBe('PROJECT_INVALID');
  return caught as StirError;
}

/** The files of a zip, read by another unzip (fflate), and written again with `change` applied. */
function rezip(
  bytes: Uint8Array,
  change: (files: Map<string, Uint8Array>) => void,
  compress = true,
): Uint8Array {
  const files = new Map(Object.entries(unzipSync(bytes)));
  change(files);
  return writeZip([...files].map(([name, data]) => ({ name, data, compress })));
}

describe('decodeProject: bounded inputs', () => {
  it('opens a sound project (the base of every case below)', async () => {
    const opened = await decodeProject(await project(), 'field.stir');
    expect([opened.photo.width, opened.regions.length, opened.regions[0]?.mask.data[0]]).toEqual([
      48, 1, 255,
    ]);
  });

  it('refuses a wrong CRC on project.json and on the photo', async () => {
    const bytes = await project();
    expect((await refusal(withCrc(bytes, 'project.json', 0x12345678))).message).toBe(
      'field.stir is damaged: its project.json fails its checksum.',
    );
    expect((await refusal(withCrc(bytes, 'photo.png', 0x12345678))).message).toBe(
      'field.stir is damaged: its photo.png fails its checksum.',
    );
  });

  it('never unpacks an entry project.json does not name', async () => {
    // A "1 GiB" entry of garbage with a wrong CRC: reading it at all would fail.
    const junk = deflateRawSync(new Uint8Array(1 << 16));
    const zip = rezip(await project(), (files) => files.set('junk.bin', junk), true);
    const declared = withCrc(withDeclaredSize(zip, 'junk.bin', 1 << 30), 'junk.bin', 1);
    const opened = await decodeProject(declared, 'field.stir');
    expect(opened.regions).toHaveLength(1);
  });

  it('refuses a named entry that would unpack past its cap, before unpacking it', async () => {
    const bytes = withDeclaredSize(await project(), 'project.json', 1 << 30);
    expect((await refusal(bytes)).message).toBe(
      'field.stir is damaged: its project.json would unpack to more than 4.0 MB, more than a project holds.',
    );
    // A deflated entry that lies about its size (declares less than it unpacks to) is stopped while
    // it streams.
    const lying = withDeclaredSize(await project(), 'project.json', 10);
    expect((await refusal(lying)).message).toBe('field.stir is damaged: its project.json does not unpack.');
  });

  it('refuses entries that share bytes (the overlapping-entries zip bomb)', async () => {
    const bomb = withAliases(await project(), 'photo.png', 40, (i) => `p${String(i).padStart(4, '0')}.png`);
    expect((await refusal(bomb)).message).toMatch(
      /^field\.stir is damaged: its entries \S+ and \S+ overlap\.$/,
    );
  });

  it(`refuses more than ${LIMITS.regionsMax} regions`, async () => {
    const regions = Array.from({ length: LIMITS.regionsMax + 1 }, (_, i) => region(`r${i}`));
    const error = await refusal(await project(regions));
    expect(error.message).toBe(
      `field.stir has ${LIMITS.regionsMax + 1} regions; a photo can have at most 16.`,
    );
  });

  it('refuses a mask whose PNG is not the photo size, from its header', async () => {
    const wrong = await sharp({ create: { width: 9000, height: 20, channels: 3, background: '#000' } })
      .greyscale()
      .png()
      .toBuffer();
    const bytes = rezip(
      await project(),
      (files) => files.set('masks/01-r1.png', new Uint8Array(wrong)),
      false,
    );
    expect((await refusal(bytes)).message).toBe(
      'field.stir is damaged: the mask of "Region r1" is 9000x20, the photo 48x32.',
    );
  });
});
