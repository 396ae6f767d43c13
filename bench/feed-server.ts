/** Serves fixture feed files from a directory on 127.0.0.1 with strong ETags, like a well-behaved outlet. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FixtureFeed } from './fixture-feeds';

export interface FeedServer {
  origin: string;
  /** 200 responses sent, so a bench can tell fetched bodies from 304s. */
  bodiesServed(): number;
  close(): Promise<void>;
}

export async function serveFixtureFeeds(
  dir: string,
  feeds: ReadonlyArray<Pick<FixtureFeed, 'urlPath' | 'contentType'>>,
): Promise<FeedServer> {
  const files = new Map<string, { body: Buffer; etag: string; contentType: string }>();
  for (const feed of feeds) {
    const body = readFileSync(path.join(dir, feed.urlPath.slice(1)));
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    files.set(feed.urlPath, { body, etag, contentType: feed.contentType });
  }
  let served = 0;
  const server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://fixtures').pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (request.headers['if-none-match'] === file.etag) {
      response.writeHead(304, { etag: file.etag }).end();
      return;
    }
    served += 1;
    response.writeHead(200, { 'content-type': file.contentType, etag: file.etag, 'content-length': file.body.length });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    bodiesServed: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
