/**
 * Child process for section 4: the real public app (createApp) over a copy of the filled store, and
 * a bare Express app with one trivial route as the yardstick (plus /same-body and /same-body-gzip, the
 * feed's identity and gzip bytes as static content), both on 127.0.0.1:0 in this process,
 * so both compete for the same core while the load generator runs in the parent.
 * Sends { appOrigin, bareOrigin } to the parent over IPC and runs until disconnected.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getRaw } from './serving-raw-get';
import { createApp } from '../src/http/app';
import { openDatabase } from '../src/store/open-database';
import { FeedsRepository } from '../src/store/feeds-repository';
import { StoriesRepository } from '../src/store/stories-repository';

export interface ServingTargetReady {
  appOrigin: string;
  bareOrigin: string;
}

function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
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
  const app = createApp({
    reader: stories,
    feedHealth: () => feeds.health(),
    site: { baseUrl: 'http://news.example', title: 'GenAI Media Wire', description: 'Curated news about generative video and image AI.' },
    logger: { info: () => {}, error: (message, fields) => console.error(message, fields) },
  });
  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/', (_req, res) => {
    res.send('ok');
  });
  const [appServer, bareServer] = await Promise.all([listen(app), listen(bare)]);
  // The same bytes as the feed, from a route that does nothing else: separates the app's own cost
  // from the cost of moving the body through HTTP and the load generator.
  const feedUrl = `${appServer.origin}/feeds/all.rss`;
  const [identity, gzip] = await Promise.all([getRaw(feedUrl, {}), getRaw(feedUrl, { 'accept-encoding': 'gzip' })]);
  bare.get('/same-body', (_req, res) => {
    res.type('application/rss+xml').send(identity.body.toString('utf8'));
  });
  bare.get('/same-body-gzip', (_req, res) => {
    res.type('application/rss+xml').setHeader('Content-Encoding', 'gzip');
    res.send(gzip.body);
  });
  const ready: ServingTargetReady = { appOrigin: appServer.origin, bareOrigin: bareServer.origin };
  process.send(ready);
  process.on('disconnect', () => {
    appServer.server.close();
    bareServer.server.close();
    db.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
