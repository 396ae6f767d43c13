import { readFileSync } from 'node:fs';
import { feedWithEtag, type FixtureHandler } from './fixture-server';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pipeline/${name}`, import.meta.url), 'utf8');

/**
 * Three outlets in the three feed formats (RSS 2.0, Atom, RSS 1.0) that report overlapping stories,
 * each served with a strong ETag so a second run gets 304s.
 */
export function pipelineFeedRoutes(): Record<string, FixtureHandler> {
  return {
    '/framewire.rss': feedWithEtag(fixture('framewire.rss'), 'application/rss+xml'),
    '/pixelpost.atom': feedWithEtag(fixture('pixelpost.atom'), 'application/atom+xml'),
    '/modelbeat.rdf': feedWithEtag(fixture('modelbeat.rdf'), 'application/rdf+xml'),
  };
}
