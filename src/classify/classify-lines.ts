/**
 * The CLI's `classify` filter: JSON lines `{"title","summary"}` in, one JSON line
 * `{"label","confidence","terms"}` out per input line, in order. A bad line becomes an
 * `{"error": ...}` line so the output stays aligned with the input and the run continues.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { classifyText, type TfidfClassifier } from './tfidf-classifier';

export interface ClassifyLinesResult {
  /** Non-blank input lines, each of which produced one output line. */
  lines: number;
  /** How many of those produced an `{"error"}` line. */
  errors: number;
}

function parseInputLine(text: string): { title: string; summary: string } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'expected a JSON object with "title" and "summary"' };
  }
  const record = value as Record<string, unknown>;
  if (typeof record.title !== 'string') return { error: '"title" must be a string' };
  // A missing summary is common in feeds (title-only items); an ill-typed one is a caller bug.
  if (record.summary !== undefined && typeof record.summary !== 'string') {
    return { error: '"summary" must be a string when present' };
  }
  return { title: record.title, summary: (record.summary as string | undefined) ?? '' };
}

/** Rounded so the output is readable; 4 decimals is well below the model's real precision. */
function roundConfidence(confidence: number): number {
  return Math.round(confidence * 10_000) / 10_000;
}

export async function classifyJsonLines(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  model: TfidfClassifier,
): Promise<ClassifyLinesResult> {
  const reader = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let errors = 0;
  let lineNumber = 0;
  for await (const text of reader) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    lines += 1;
    const parsed = parseInputLine(text);
    let result: string;
    if ('error' in parsed) {
      errors += 1;
      result = JSON.stringify({ error: `line ${lineNumber}: ${parsed.error}` });
    } else {
      const classification = classifyText(model, parsed);
      result = JSON.stringify({
        label: classification.label,
        confidence: roundConfidence(classification.confidence),
        terms: classification.terms,
      });
    }
    // Respect backpressure so a large input piped to a slow consumer does not buffer in memory.
    if (!output.write(`${result}\n`)) await once(output, 'drain');
  }
  return { lines, errors };
}
