/** Reads and writes the same-event scorer's weights (data/clusters/event-scorer.json by default). */
import { readFileSync, writeFileSync } from 'node:fs';
import { FEATURE_NAMES, type EventScorerModel } from './event-scorer';

/** Relative to the working directory, like the classifier's model path. */
export const DEFAULT_EVENT_SCORER_PATH = 'data/clusters/event-scorer.json';

export class EventScorerFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`same-event scorer ${file}: ${message}`);
    this.name = 'EventScorerFileError';
  }
}

export function loadEventScorer(file = DEFAULT_EVENT_SCORER_PATH): EventScorerModel {
  let value: Partial<EventScorerModel> & { features?: string[] };
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as typeof value;
  } catch (error) {
    throw new EventScorerFileError(file, `cannot be read (${(error as Error).message}); run \`npm run cli -- tune-clustering\``);
  }
  const { weights, bias, threshold } = value;
  if (!Array.isArray(weights) || weights.length !== FEATURE_NAMES.length || !weights.every(Number.isFinite)) {
    throw new EventScorerFileError(file, `"weights" must be ${FEATURE_NAMES.length} numbers (${FEATURE_NAMES.join(', ')})`);
  }
  if (typeof bias !== 'number' || !Number.isFinite(bias)) throw new EventScorerFileError(file, '"bias" must be a number');
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
    throw new EventScorerFileError(file, '"threshold" must be between 0 and 1');
  }
  return { weights, bias, threshold, trainedOn: typeof value.trainedOn === 'string' ? value.trainedOn : undefined };
}

export function saveEventScorer(file: string, model: EventScorerModel): void {
  const named = { features: FEATURE_NAMES, ...model };
  writeFileSync(file, `${JSON.stringify(named, null, 2)}\n`);
}
