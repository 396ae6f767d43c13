/**
 * Child process for section 4: the real public app over a copy of the filled store, composed as
 * `npm start` composes it (response memo in front of Express, story pages, digest routes), and two
 * yardsticks in the same process, so all compete for the same core while the load generator runs in
 * the parent:
 *  - a bare node:http server that answers with the feed's own gzip bytes (/gzip) or with a 304 when
 *    If-None-Match carries that body's ETag (/conditional): the least any Node server can do;
 *  - a bare Express app with one trivial route (continuity with earlier results).
 * Sends { appOrigin, nodeOrigin, expressOrigin, storyIds } to the parent over IPC and runs until disconnected.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getRaw } from './serving-raw-get';
import { createApp } from '../src/http/app';
import { isMemoizablePath } from '../src/http/cache-policy';
import { createDigestRouter } from '../src/http/digest-routes';
import { ResponseMemo, withHotPath } from '../src/http/response-memo';
import { createStoryPageRouter } from '../src/http/story-page';
import { DataVersionWatcher } from '../src/store/data-version';
import { DigestsRepository } from '../src/store/digests-repository';
import { openDatabase } from '../src/store/open-database';
import { FeedsRepository } from '../src/store/feeds-repository';
import { StoriesRepository } from '../src/store/stories-repository';
import { StoryQueries } from '../src/store/story-queries';
import { RelatedStoriesFinder } from '../src/stories/related';

export interface ServingTargetReady {
  appOrigin: string;
  nodeOrigin: string;
  expressOrigin: string;
  /** Published stories (newest first) for the story-page load. */
  storyIds: number[];
}

/** Story pages the story-page load cycles through. */
export const STORY_PAGE_COUNT = 200;

function listen(handler: RequestListener): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

async function main(): Promise<void> {
  const dbFile = process.argv[2];
  if (!dbFile || !process.send) throw new Error('usage: forked with the database file as the only argument');
  const db = openDatabase(dbFile);
  const feeds = new FeedsRepository(db);
  const stories = new StoriesRepository(db, feeds, 0.6);
  const digests = new DigestsRepository(db);
  const site = { baseUrl: 'http://news.example', title: 'GenAI Media Wire', description: 'Curated news about generative video and image AI.' };
  const version = new DataVersionWatcher(db, () => [stories.publicationState().version, digests.feedState().version]);
  const memo = new ResponseMemo({ dataStamp: () => version.current(), isMemoizablePath });
  const app = createApp({
    reader: stories,
    feedHealth: () => feeds.health(),
    site,
    logger: { info: () => {}, error: (message, fields) => console.error(message, fields) },
    responseMemo: memo,
    feedRouters: [createDigestRouter({ digests, site })],
    extraRouters: [createStoryPageRouter({ stories, related: new RelatedStoriesFinder(new StoryQueries(db), undefined, () => version.current()), site })],
  });
  const appServer = await listen(withHotPath(memo, app));

  // The feed's gzip bytes and ETag as the app sends them: the bare server sends exactly these.
  const gzip = await getRaw(`${appServer.origin}/feeds/all.rss`, { 'accept-encoding': 'gzip' });
  const etag = String(gzip.headers.etag);
  const contentType = String(gzip.headers['content-type']);
  const nodeServer = await listen((req, res) => {
    if (req.url === '/conditional' && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, 'content-encoding': 'gzip', 'content-length': gzip.body.length, etag });
    res.end(gzip.body);
  });

  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/', (_req, res) => {
    res.send('ok');
  });
  const expressServer = await listen(bare);

  const storyIds = stories.listPublishedStories({ category: 'all', limit: STORY_PAGE_COUNT, offset: 0 }).map((story) => story.id);
  const ready: ServingTargetReady = {
    appOrigin: appServer.origin,
    nodeOrigin: nodeServer.origin,
    expressOrigin: expressServer.origin,
    storyIds,
  };
  process.send(ready);
  process.on('disconnect', () => {
    if (process.env.BENCH_MEMO_STATS) console.error('response memo', memo.stats());
    for (const { server } of [appServer, nodeServer, expressServer]) server.close();
    db.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
