import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixtureHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FixtureServer {
  origin: string;
  /** Requests seen per path, with the conditional-GET headers they carried. */
  requests: { path: string; ifNoneMatch: string | undefined }[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a free port, serving the given routes. */
export async function startFixtureServer(routes: Record<string, FixtureHandler>): Promise<FixtureServer> {
  const requests: FixtureServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    requests.push({ path, ifNoneMatch: request.headers['if-none-match'] as string | undefined });
    const handler = routes[path];
    if (!handler) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a feed document with a strong ETag and answers a matching If-None-Match with 304. */
export function feedWithEtag(body: string, contentType: string, etag = '"fixture-v1"'): FixtureHandler {
  return (request, response) => {
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': contentType, etag }).end(body);
  };
}
