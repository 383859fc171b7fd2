// The HTTP client of downloads. Node's global fetch ignores HTTP_PROXY/HTTPS_PROXY/NO_PROXY, which is
// how most offices and many homes reach the internet; undici's EnvHttpProxyAgent honours them (CONNECT
// tunnels through the proxy, NO_PROXY hosts reached directly). Redirects are followed by the download
// itself (download.ts), which checks each address before it is reached.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** A stalled connection is abandoned (and resumed with a range request) after this long without data. */
const BODY_TIMEOUT_MS = 60_000;
const HEADERS_TIMEOUT_MS = 60_000;

export interface ProxySettings {
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string | null;
}

/** The proxy settings in an environment, lower-case names first (curl and undici read them in that order). */
export function proxySettingsFrom(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const pick = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || null;
  return { httpProxy: pick('http_proxy'), httpsProxy: pick('https_proxy'), noProxy: pick('no_proxy') };
}

export interface DownloadClient {
  dispatcher: Dispatcher;
  /** Closes the connections it keeps open (a CLI run must be able to exit). */
  close(): Promise<void>;
}

/**
 * The client for downloads. The proxy settings are read from `env` (process.env by default) once, here,
 * rather than by undici behind our back, so tests and callers can give their own.
 */
export function createDownloadClient(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DownloadClient {
  const proxy = proxySettingsFrom(env);
  const agent = new EnvHttpProxyAgent({
    // An empty string means "no proxy" to undici; undefined would make it read process.env itself.
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? '',
    noProxy: proxy.noProxy ?? '',
    bodyTimeout: BODY_TIMEOUT_MS,
    headersTimeout: HEADERS_TIMEOUT_MS,
  });
  return {
    dispatcher: agent,
    close: () => agent.close(),
  };
}
