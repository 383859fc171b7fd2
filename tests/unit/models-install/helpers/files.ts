// Small file helpers for the installer tests: a folder's full listing (to prove it was left exactly as
// it was), zips built from folders or from raw entries, and a CONNECT proxy on 127.0.0.1.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, lstatSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** Every file and folder below `dir`, with each file's size and sha256: equal listings mean an unchanged folder. */
export function listing(dir: string): string[] {
  const lines: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const info = lstatSync(join(dir, path));
      if (info.isDirectory()) {
        lines.push(`${path}/`);
        walk(path);
      } else {
        const digest = createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex')
          .slice(0, 16);
        lines.push(`${path} ${info.size} ${digest}`);
      }
    }
  };
  walk('');
  return lines;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `stir-${prefix}-`));
}

/** A zip of every file below `dir`, under `prefix/` when given; stored (not deflated) unless `deflate`. */
export function zipFolder(dir: string, prefix = '', deflate = false): Uint8Array {
  const entries: Zippable = {};
  for (const line of listing(dir)) {
    if (line.endsWith('/')) continue;
    const path = line.slice(0, line.indexOf(' '));
    entries[`${prefix}${path}`] = readFileSync(join(dir, path));
  }
  return zipSync(entries, { level: deflate ? 6 : 0 });
}

/** A zip of raw entries: names are written as given (so a test can put "../x" in one). */
export function zipEntries(
  entries: Record<string, Uint8Array | [Uint8Array, { os: number; attrs: number }]>,
): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, value] of Object.entries(entries)) {
    zippable[name] = Array.isArray(value) ? [value[0], { level: 0, ...value[1] }] : value;
  }
  return zipSync(zippable, { level: 0 });
}

export interface ConnectProxy {
  url: string;
  /** host:port of every CONNECT it was asked for. */
  tunnels: string[];
  close(): Promise<void>;
}

/** An HTTP proxy that only tunnels (CONNECT) to 127.0.0.1, as office proxies do for https. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1' || !port) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    open.add(client as Socket);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    open.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: async () => {
      // Tunnels are detached from the HTTP server: close them by hand.
      for (const socket of open) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
