/**
 * Loads the labelled corpus (data/corpus/*.jsonl, one `{"title","summary","label"}` per line)
 * and splits it into train and held-out sets.
 *
 * The split is decided per example by a hash of its normalized title, not by position or a
 * random draw, so adding lines never moves an existing example across the split and
 * evaluation numbers stay comparable between corpus versions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLabel, LABELS, type Label, type LabelledText } from '../model';

export interface CorpusSplit {
  train: LabelledText[];
  heldOut: LabelledText[];
}

/** A corpus file or line that cannot be used; `file` and `line` say where. */
export class CorpusError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'CorpusError';
  }
}

/** Percent of examples (by title hash) that go to the held-out set. */
const HELD_OUT_PERCENT = 20;

/** Case and whitespace differences do not make a different story. */
export function normalizeTitle(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** 32-bit FNV-1a over UTF-16 code units: tiny, stable across Node versions and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** 0..99; examples with a bucket below HELD_OUT_PERCENT are held out. */
export function splitBucket(title: string): number {
  return fnv1a(normalizeTitle(title)) % 100;
}

export function isHeldOutTitle(title: string): boolean {
  return splitBucket(title) < HELD_OUT_PERCENT;
}

interface LocatedExample {
  example: LabelledText;
  file: string;
  line: number;
}

function parseCorpusLine(text: string, file: string, line: number): LabelledText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorpusError(`invalid JSON (${(error as Error).message})`, file, line);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorpusError('expected a JSON object with title, summary and label', file, line);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.title !== 'string' || record.title.trim() === '') {
    throw new CorpusError('"title" must be a non-empty string', file, line);
  }
  if (typeof record.summary !== 'string') {
    throw new CorpusError('"summary" must be a string', file, line);
  }
  if (!isLabel(record.label)) {
    throw new CorpusError(`"label" must be one of ${LABELS.join(', ')}; got ${JSON.stringify(record.label)}`, file, line);
  }
  return { title: record.title, summary: record.summary, label: record.label };
}

/** Reads and validates every line of every *.jsonl file in `dir` (sorted by file name). */
export function readCorpusExamples(dir: string): LabelledText[] {
  let fileNames: string[];
  try {
    fileNames = readdirSync(dir).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    throw new CorpusError(`cannot read corpus directory (${(error as Error).message})`, dir, null);
  }
  if (fileNames.length === 0) throw new CorpusError('no *.jsonl files in corpus directory', dir, null);

  const byTitle = new Map<string, LocatedExample>();
  const examples: LabelledText[] = [];
  for (const fileName of fileNames) {
    const file = join(dir, fileName);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      const example = parseCorpusLine(text, file, line);
      const key = normalizeTitle(example.title);
      const earlier = byTitle.get(key);
      if (earlier !== undefined) {
        // The same headline twice is harmless; the same headline with two labels is a corpus bug.
        if (earlier.example.label !== example.label) {
          throw new CorpusError(
            `title also appears at ${earlier.file}:${earlier.line} with label "${earlier.example.label}", here "${example.label}"`,
            file,
            line,
          );
        }
        return;
      }
      byTitle.set(key, { example, file, line });
      examples.push(example);
    });
  }
  return examples;
}

/**
 * Splits ~80/20 by title hash. A label whose examples all hash into train (only plausible in a
 * tiny corpus) gives up its lowest-bucket example, so every label with 2+ examples is evaluated.
 */
export function splitExamples(examples: readonly LabelledText[]): CorpusSplit {
  const train: LabelledText[] = [];
  const heldOut: LabelledText[] = [];
  for (const example of examples) (isHeldOutTitle(example.title) ? heldOut : train).push(example);

  for (const label of LABELS) {
    if (heldOut.some((example) => example.label === label)) continue;
    const candidates = train.filter((example) => example.label === label);
    if (candidates.length < 2) continue;
    let chosen = candidates[0];
    for (const candidate of candidates) {
      if (splitBucket(candidate.title) < splitBucket(chosen.title)) chosen = candidate;
    }
    train.splice(train.indexOf(chosen), 1);
    heldOut.push(chosen);
  }
  return { train, heldOut };
}

export function loadCorpus(dir: string): CorpusSplit {
  return splitExamples(readCorpusExamples(dir));
}

export function countByLabel(examples: readonly LabelledText[]): Record<Label, number> {
  const counts = { video: 0, image: 0, neither: 0 } satisfies Record<Label, number>;
  for (const example of examples) counts[example.label] += 1;
  return counts;
}
