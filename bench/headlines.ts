/**
 * Synthetic AI-news stories: a headline, an HTML summary, an author and categories, drawn from
 * the vocabulary of one label. Headlines combine maker, product version, features, audiences and
 * numbers, so tens of thousands of them are distinct stories rather than near-duplicates.
 */
import { jaccard, titleTokens } from '../src/dedupe/title-signature';
import type { Label } from '../src/model';
import type { Random } from './random';
import {
  AUDIENCES,
  AUTHORS,
  EVENTS,
  HEADLINE_PREFIXES,
  INVESTORS,
  JUDGEMENTS,
  LAUNCH_VERBS,
  PARTNERS,
  PEOPLE,
  PROJECTS,
  REGIONS,
  ROLES,
  TOPICS,
  VERSION_SUFFIXES,
  WEAKNESSES,
  WEEKDAYS,
  WHEN,
} from './vocabulary';

export interface SyntheticStory {
  label: Label;
  title: string;
  /** An HTML fragment, as outlets put into <description> / <summary type="html">. */
  summaryHtml: string;
  /** The same summary as the parser's plain text, built alongside so filling a store needs no HTML pass. */
  summaryText: string;
  /** URL path segment, unique per generated story. */
  slug: string;
  author: string;
  categories: string[];
}

/** Label mix of an outlet that mostly covers generative media but also general AI news. */
const LABEL_WEIGHTS: ReadonlyArray<readonly [Label, number]> = [
  ['video', 0.35],
  ['image', 0.35],
  ['neither', 0.3],
];

/** A reworded headline must stay at least this similar (the service's threshold is 0.6 by default). */
const MIN_REWORD_SIMILARITY = 0.7;

function pickLabel(random: Random): Label {
  let roll = random.next();
  for (const [label, weight] of LABEL_WEIGHTS) {
    if (roll < weight) return label;
    roll -= weight;
  }
  return 'neither';
}

function version(random: Random): string {
  const major = random.int(1, 12);
  const minor = random.chance(0.5) ? `.${random.int(0, 9)}` : '';
  return `${major}${minor}${random.pick(VERSION_SUFFIXES)}`;
}

function otherPartner(random: Random, partner: string): string {
  let other = random.pick(PARTNERS);
  while (other === partner) other = random.pick(PARTNERS);
  return other;
}

function twoFeatures(random: Random, features: readonly string[]): [string, string] {
  const first = random.pick(features);
  let second = random.pick(features);
  while (second === first) second = random.pick(features);
  return [first, second];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function slugOf(title: string, serial: number): string {
  const words = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  return `${words}-${serial}`;
}

export class StoryWriter {
  private serial = 0;

  constructor(private readonly random: Random) {}

  /** A new story; the label is drawn from the site's usual mix unless given. */
  next(label: Label = pickLabel(this.random)): SyntheticStory {
    const r = this.random;
    const topic = TOPICS[label];
    const [company, product] = r.pick(topic.makers);
    const release = `${product} ${version(r)}`;
    const [feature, otherFeature] = twoFeatures(r, topic.features);
    const audience = r.pick(AUDIENCES);
    // Every template fills four or more slots from large pools (partners, people, events, projects,
    // regions, numbers) around one or two fixed words, so two distinct stories about the same release
    // rarely share enough words to look like one story to dedupe.
    const partner = r.pick(PARTNERS);
    const templates: Array<() => string> = [
      () => `${company} ${r.pick(LAUNCH_VERBS)} ${release} with ${feature} for ${audience} ${r.pick(EVENTS)}`,
      () => `${release} brings ${feature} and ${otherFeature} to ${audience} in ${r.pick(REGIONS)}`,
      () => `Hands-on: ${release} ${r.pick(JUDGEMENTS)} ${feature} for ${audience}, but ${r.pick(WEAKNESSES)}`,
      () => `${company} raises $${r.int(8, 900)}M from ${r.pick(INVESTORS)} to take ${release} to ${audience} in ${r.pick(REGIONS)}`,
      () => `${partner} picks ${release} for ${r.pick(PROJECTS)} in ${r.pick(REGIONS)} ${r.pick(EVENTS)}`,
      () => `${company} cuts ${release} prices ${r.int(10, 75)}% as ${partner} and ${otherPartner(r, partner)} sign up`,
      () => `${r.int(3, 40)} ${audience} tested ${release} on ${r.pick(PROJECTS)}: ${feature} impressed, ${r.pick(WEAKNESSES)}`,
      () => `${r.pick(PEOPLE)} says ${release} gets ${feature} ${r.pick(WHEN)}, ${partner} first in line`,
      () => `How ${partner} made ${r.pick(PROJECTS)} with ${release} and ${feature}`,
      () => `${release} leaks ${r.pick(EVENTS)}: ${feature}, ${otherFeature} and a $${r.int(9, 99)} plan for ${audience}`,
      () => `${company} ${r.pick(LAUNCH_VERBS)} ${release} in ${r.pick(REGIONS)}; ${feature} for ${audience} ${r.pick(WHEN)}`,
      () => `${r.pick(PEOPLE)}, ${company} ${r.pick(ROLES)}, on ${release}, ${feature} and ${partner}`,
    ];
    const title = r.pick(templates)();
    this.serial += 1;
    const { html: summaryHtml, text: summaryText } = this.summary(label, company, release, feature, otherFeature, audience);
    return {
      label,
      title,
      summaryHtml,
      summaryText,
      slug: slugOf(title, this.serial),
      author: r.pick(AUTHORS),
      categories: [label === 'neither' ? 'AI' : label === 'video' ? 'Video generation' : 'Image generation', company],
    };
  }

  private summary(
    label: Label,
    company: string,
    release: string,
    feature: string,
    otherFeature: string,
    audience: string,
  ): { html: string; text: string } {
    const r = this.random;
    const observation = r.pick(TOPICS[label].observations);
    const weekday = r.pick(WEEKDAYS);
    const price = r.int(8, 120);
    const html = [
      `${escapeHtml(company)}&#8217;s update adds ${escapeHtml(feature)} and ${escapeHtml(otherFeature)}, the company said on ${weekday}.`,
      `Early testers among ${escapeHtml(audience)} report ${escapeHtml(observation)}; ${escapeHtml(release)} costs $${price} a month on the <em>Pro</em> plan.`,
    ];
    const text = [
      `${company}’s update adds ${feature} and ${otherFeature}, the company said on ${weekday}.`,
      `Early testers among ${audience} report ${observation}; ${release} costs $${price} a month on the Pro plan.`,
    ];
    if (r.chance(0.5)) {
      const region = r.pick(REGIONS);
      const weeks = r.int(2, 8);
      html.push(`The rollout reaches ${region} over the next ${weeks} weeks &amp; more markets later.`);
      text.push(`The rollout reaches ${region} over the next ${weeks} weeks & more markets later.`);
    }
    const image = r.chance(0.3)
      ? `<p><img src="https://cdn.example/media/${r.int(1000, 9999)}.jpg" alt="${escapeHtml(release)}" width="1200" height="675" /></p>`
      : '';
    return {
      html: `${image}${html.map((p) => `<p>${p}</p>`).join('')}<p><a href="#more">Continue reading &#8594;</a></p>`,
      text: `${text.join(' ')} Continue reading →`,
    };
  }

  /**
   * Another outlet's headline for the same story: a different launch verb, a prefix, "&" for "and",
   * a dash for a comma, or sentence case; always at least MIN_REWORD_SIMILARITY similar by the
   * service's own token measure, so a miss in dedupe is dedupe's miss, not the fixture's.
   */
  reword(title: string): string {
    const r = this.random;
    const edits: Array<(text: string) => string> = [
      (text) => {
        const verb = LAUNCH_VERBS.find((candidate) => text.includes(` ${candidate} `));
        if (!verb) return text;
        let other = r.pick(LAUNCH_VERBS);
        while (other === verb) other = r.pick(LAUNCH_VERBS);
        return text.replace(` ${verb} `, ` ${other} `);
      },
      (text) => `${r.pick(HEADLINE_PREFIXES)}${text}`,
      (text) => text.replace(' and ', ' & '),
      (text) => text.replace(', ', ' — '),
      (text) => text.charAt(0) + text.slice(1).toLowerCase(),
      (text) => text.replace(' with ', ' featuring '),
    ];
    const original = titleTokens(title);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      let candidate = title;
      const count = r.int(1, 2);
      for (let i = 0; i < count; i += 1) candidate = r.pick(edits)(candidate);
      if (candidate !== title && jaccard(original, titleTokens(candidate)) >= MIN_REWORD_SIMILARITY) return candidate;
    }
    return `${title.charAt(0)}${title.slice(1).toLowerCase()}`;
  }
}
