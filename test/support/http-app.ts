import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpListener } from '../../src/http-composition';
import type { Services } from '../../src/services';

export interface RunningApp {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  origin: string;
  /** Drops open keep-alive connections so the close does not wait for clients. */
  close(): Promise<void>;
}

/**
 * `server` config for createTestServices: the site identity the HTTP tests assert on
 * (feed links under http://news.example, titles "Test Wire — …").
 */
export const TEST_SITE_SERVER = { baseUrl: 'http://news.example', siteTitle: 'Test Wire', siteDescription: 'test' } as const;

/** Serves a request handler (an Express app) on 127.0.0.1 with a free port. */
export async function listenOnLoopback(handler: RequestListener): Promise<RunningApp> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The production HTTP composition (feeds, health, story pages, digest, review) over these services,
 * with the response memo in front as in `npm start`.
 */
export function startApp(services: Services): Promise<RunningApp> {
  return listenOnLoopback(createHttpListener(services));
}
