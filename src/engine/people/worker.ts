// The people worker: loads Human's models once and answers detection requests, off the engine's thread.
import { parentPort } from 'node:worker_threads';
import { createPeopleFinder, type PeopleFinder } from './find-people.js';
import type { PeopleReply, PeopleRequest } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('people worker started outside a worker thread');

let finder: Promise<PeopleFinder> | null = null;

port.on('message', (message: PeopleRequest) => {
  finder ??= createPeopleFinder();
  finder
    .then((f) => f.find(message.rgb, message.width, message.height))
    .then(
      (found) => port.postMessage({ id: message.id, ok: true, found } satisfies PeopleReply),
      (caught: unknown) =>
        port.postMessage({
          id: message.id,
          ok: false,
          message: caught instanceof Error ? caught.message : String(caught),
        } satisfies PeopleReply),
    );
});
