/**
 * Child process serving the fixture feeds, so the fetch run under test talks to another process
 * over loopback like it talks to outlets, and its memory figures do not include the fixtures.
 * Argument: the fixture directory (with manifest.json). Sends { origin } over IPC; exits when disconnected.
 */
import { serveFixtureFeeds } from './feed-server';
import { readManifest } from './fixture-manifest';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir || !process.send) throw new Error('usage: forked with the fixture directory as the only argument');
  const server = await serveFixtureFeeds(dir, readManifest(dir).feeds);
  process.send({ origin: server.origin });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
