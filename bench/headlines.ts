/**
 * Synthetic AI-news stories: a headline, an HTML summary, an author and categories, drawn from
 * the vocabulary of one label. Headlines combine maker, product version, features, audiences and
 * numbers, so tens of thousands of them are distinct stories rather than near-duplicates.
 */
import { jaccard, titleTokens } from './headline-words';
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
  /** An HTML fragment, as outlets put into <description> / <summary type="html">; written on first read. */
  readonly summaryHtml: string;
  /** The same summary as the parser's plain text, so filling a store needs no HTML at all. */
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

/** What one story is about: the slots its headline and summary are written from. */
interface StoryFacts {
  company: string;
  release: string;
  feature: string;
  otherFeature: string;
  audience: string;
  partner: string;
}

/**
 * Headline templates. Every template fills four or more slots from large pools (partners, people,
 * events, projects, regions, numbers) around one or two fixed words, so two distinct stories about
 * the same release rarely share enough words to look like one story to dedupe.
 */
const HEADLINE_TEMPLATES: ReadonlyArray<(f: StoryFacts, r: Random) => string> = [
  (f, r) => `${f.company} ${r.pick(LAUNCH_VERBS)} ${f.release} with ${f.feature} for ${f.audience} ${r.pick(EVENTS)}`,
  (f, r) => `${f.release} brings ${f.feature} and ${f.otherFeature} to ${f.audience} in ${r.pick(REGIONS)}`,
  (f, r) => `Hands-on: ${f.release} ${r.pick(JUDGEMENTS)} ${f.feature} for ${f.audience}, but ${r.pick(WEAKNESSES)}`,
  (f, r) =>
    `${f.company} raises $${r.int(8, 900)}M from ${r.pick(INVESTORS)} to take ${f.release} to ${f.audience} in ${r.pick(REGIONS)}`,
  (f, r) => `${f.partner} picks ${f.release} for ${r.pick(PROJECTS)} in ${r.pick(REGIONS)} ${r.pick(EVENTS)}`,
  (f, r) =>
    `${f.company} cuts ${f.release} prices ${r.int(10, 75)}% as ${f.partner} and ${otherPartner(r, f.partner)} sign up`,
  (f, r) =>
    `${r.int(3, 40)} ${f.audience} tested ${f.release} on ${r.pick(PROJECTS)}: ${f.feature} impressed, ${r.pick(WEAKNESSES)}`,
  (f, r) => `${r.pick(PEOPLE)} says ${f.release} gets ${f.feature} ${r.pick(WHEN)}, ${f.partner} first in line`,
  (f, r) => `How ${f.partner} made ${r.pick(PROJECTS)} with ${f.release} and ${f.feature}`,
  (f, r) =>
    `${f.release} leaks ${r.pick(EVENTS)}: ${f.feature}, ${f.otherFeature} and a $${r.int(9, 99)} plan for ${f.audience}`,
  (f, r) =>
    `${f.company} ${r.pick(LAUNCH_VERBS)} ${f.release} in ${r.pick(REGIONS)}; ${f.feature} for ${f.audience} ${r.pick(WHEN)}`,
  (f, r) => `${r.pick(PEOPLE)}, ${f.company} ${r.pick(ROLES)}, on ${f.release}, ${f.feature} and ${f.partner}`,
];

/** The random draws of a summary; its HTML is written only when a fixture feed needs it. */
interface SummaryDraws {
  facts: StoryFacts;
  observation: string;
  weekday: string;
  price: number;
  rollout: { region: string; weeks: number } | null;
  imageId: number | null;
}

function summaryText({ facts: f, observation, weekday, price, rollout }: SummaryDraws): string {
  const sentences = [
    `${f.company}’s update adds ${f.feature} and ${f.otherFeature}, the company said on ${weekday}.`,
    `Early testers among ${f.audience} report ${observation}; ${f.release} costs $${price} a month on the Pro plan.`,
  ];
  if (rollout) sentences.push(`The rollout reaches ${rollout.region} over the next ${rollout.weeks} weeks & more markets later.`);
  return `${sentences.join(' ')} Continue reading →`;
}

function summaryHtml({ facts: f, observation, weekday, price, rollout, imageId }: SummaryDraws): string {
  const paragraphs = [
    `${escapeHtml(f.company)}&#8217;s update adds ${escapeHtml(f.feature)} and ${escapeHtml(f.otherFeature)}, the company said on ${weekday}.`,
    `Early testers among ${escapeHtml(f.audience)} report ${escapeHtml(observation)}; ${escapeHtml(f.release)} costs $${price} a month on the <em>Pro</em> plan.`,
  ];
  if (rollout) paragraphs.push(`The rollout reaches ${rollout.region} over the next ${rollout.weeks} weeks &amp; more markets later.`);
  const image =
    imageId === null
      ? ''
      : `<p><img src="https://cdn.example/media/${imageId}.jpg" alt="${escapeHtml(f.release)}" width="1200" height="675" /></p>`;
  return `${image}${paragraphs.map((p) => `<p>${p}</p>`).join('')}<p><a href="#more">Continue reading &#8594;</a></p>`;
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
    const facts: StoryFacts = { company, release, feature, otherFeature, audience, partner: r.pick(PARTNERS) };
    const title = r.pick(HEADLINE_TEMPLATES)(facts, r);
    this.serial += 1;
    const draws: SummaryDraws = {
      facts,
      observation: r.pick(topic.observations),
      weekday: r.pick(WEEKDAYS),
      price: r.int(8, 120),
      rollout: r.chance(0.5) ? { region: r.pick(REGIONS), weeks: r.int(2, 8) } : null,
      imageId: r.chance(0.3) ? r.int(1000, 9999) : null,
    };
    return {
      label,
      title,
      get summaryHtml() {
        return summaryHtml(draws);
      },
      summaryText: summaryText(draws),
      slug: slugOf(title, this.serial),
      author: r.pick(AUTHORS),
      categories: [label === 'neither' ? 'AI' : label === 'video' ? 'Video generation' : 'Image generation', company],
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
