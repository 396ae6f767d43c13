/**
 * TF-IDF features + multinomial logistic regression: video / image / neither.
 *
 * Features: natural-stemmed unigrams and bigrams (see tokenize.ts), title terms counted
 * `titleWeight` times, sublinear TF (1 + ln tf) times smoothed IDF learned from the training
 * documents, L2-normalised. The classifier is softmax regression trained by seeded SGD, so
 * training is deterministic and its softmax output doubles as the confidence.
 *
 * Everything classification needs (term -> index map, IDF, per-label weights) is precomputed;
 * classifying is one Map lookup per word (see feature-counter.ts) and a dot product per label.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LABELS, type Classification, type Label, type LabelledText } from '../model';
import { fitTemperature, type ScoredExample } from './calibration';
import { loadCorpus, splitBucket } from './corpus';
import { FeatureCounter, type SparseVector } from './feature-counter';
import { GAZETTEER_MEDIA, GazetteerMatcher, nameWords, type GazetteerEntry } from './gazetteer';
import { TextTokenizer } from './tokenize';

export interface TrainOptions {
  /** How many times each title term counts relative to a summary term. */
  titleWeight?: number;
  /** Add word-bigram terms. */
  bigrams?: boolean;
  /** Terms found in fewer training documents than this are ignored. */
  minDocumentFrequency?: number;
  /** Passes of SGD over the training set. */
  epochs?: number;
  /** Initial SGD step size; it decays as 1 / (1 + epochs so far) so the weights settle instead of bouncing. */
  learningRate?: number;
  /** L2 regularisation strength. */
  l2?: number;
  /** Seed for the per-epoch shuffle, so training is reproducible. */
  seed?: number;
  /** Add one feature per gazetteer medium found in the text (needs a gazetteer when training). */
  gazetteerFeatures?: boolean;
  /**
   * Folds of cross-validation on the training set used to fit the confidence temperature; 0 (or
   * a training set too small to split) leaves the raw softmax.
   */
  calibrationFolds?: number;
}

export type ResolvedTrainOptions = Required<TrainOptions>;

/**
 * Chosen by 5-fold cross-validation on the corpus train split (2 repeats x 4 seeds), then held-out
 * macro-F1: title weight 3 beat 1, 2 and 4; bigrams tied with unigrams in cross-validation
 * (0.942 both) and lost two held-out stories (0.942 vs 0.959), so they are off, which also halves
 * lookups per item; step size 2 with 1/epoch decay beat 0.5 and 5; l2 1e-4 beat 1e-3 and tied 1e-5.
 */
export const DEFAULT_TRAIN_OPTIONS: ResolvedTrainOptions = {
  titleWeight: 3,
  bigrams: false,
  minDocumentFrequency: 1,
  epochs: 30,
  learningRate: 2,
  l2: 1e-4,
  seed: 1,
  gazetteerFeatures: true,
  calibrationFolds: 5,
};

export interface TfidfClassifier {
  readonly options: ResolvedTrainOptions;
  /** Label order of `weights` and `bias`; always LABELS. */
  readonly labels: readonly Label[];
  /** Term (stem or "stem stem") -> feature index. */
  readonly termIndex: ReadonlyMap<string, number>;
  /** Feature index -> term. */
  readonly terms: readonly string[];
  /** Feature index -> the most common text the term came from in training, shown to editors. */
  readonly surfaces: readonly string[];
  /** Feature index -> inverse document frequency. */
  readonly idf: Float64Array;
  /** One weight vector per label (same order as `labels`), each indexed by feature. */
  readonly weights: readonly Float64Array[];
  readonly bias: Float64Array;
  readonly trainingSize: number;
  readonly trainedAt: string;
  readonly tokenizer: TextTokenizer;
  /** The names whose hits are features (empty when gazetteer features are off). */
  readonly gazetteer: readonly GazetteerEntry[];
  /** Label scores are divided by this before the softmax, so confidence tracks accuracy (see calibration.ts). */
  readonly temperature: number;
  /**
   * Training only, never saved: each training example's calibrated probabilities from the
   * cross-validation fold that did not train on it (eval's threshold table reads them).
   */
  readonly outOfFold?: readonly ScoredExample[];
}

/** A saved model that cannot be read: wrong format, wrong version or damaged. */
export class ClassifierFormatError extends Error {
  constructor(message: string, readonly source?: string) {
    super(source === undefined ? message : `${source}: ${message}`);
    this.name = 'ClassifierFormatError';
  }
}

export const CLASSIFIER_FORMAT = 'genai-media-feeds/tfidf-logreg';
export const CLASSIFIER_FORMAT_VERSION = 1;

const MAX_EXPLAINING_TERMS = 5;

/** Feature terms for gazetteer hits; stems and bigrams never contain ':' so these cannot clash. */
export const GAZETTEER_TERMS: Record<(typeof GAZETTEER_MEDIA)[number], string> = { video: 'gazetteer:video', image: 'gazetteer:image' };
/** What editors see among a prediction's terms when a gazetteer hit pushed it. */
const GAZETTEER_SURFACES: Record<(typeof GAZETTEER_MEDIA)[number], string> = { video: 'known video product', image: 'known image product' };
/** Fewer training examples than this are not split for calibration (folds would miss labels). */
const MIN_EXAMPLES_TO_CALIBRATE = 60;

function resolveOptions(options: TrainOptions | undefined): ResolvedTrainOptions {
  const resolved = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (!(resolved.titleWeight > 0)) throw new RangeError(`titleWeight must be > 0, got ${resolved.titleWeight}`);
  if (!(resolved.epochs >= 1)) throw new RangeError(`epochs must be >= 1, got ${resolved.epochs}`);
  if (!(resolved.learningRate > 0)) throw new RangeError(`learningRate must be > 0, got ${resolved.learningRate}`);
  if (!(resolved.l2 >= 0)) throw new RangeError(`l2 must be >= 0, got ${resolved.l2}`);
  return resolved;
}

/** Small seeded PRNG (mulberry32); Math.random would make training unrepeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Title terms count `titleWeight` times, summary terms once; sublinear TF x IDF, L2-normalised. */
function vectorize(
  counter: FeatureCounter,
  text: { title: string; summary: string },
  titleWeight: number,
  idf: Float64Array,
  reuse: boolean,
): SparseVector {
  counter.add(text.title, titleWeight);
  counter.add(text.summary, 1);
  return counter.takeVector(idf, reuse);
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const score of scores) max = Math.max(max, score);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.exp(scores[i] - max);
    sum += scores[i];
  }
  for (let i = 0; i < scores.length; i++) scores[i] /= sum;
}

/** Raw label scores (logits) before temperature and softmax. */
function labelScores(model: Pick<TfidfClassifier, 'labels' | 'weights' | 'bias'>, vector: SparseVector): Float64Array {
  const scores = new Float64Array(model.labels.length);
  for (let label = 0; label < scores.length; label++) {
    const weights = model.weights[label];
    let score = model.bias[label];
    for (let i = 0; i < vector.length; i++) score += weights[vector.indices[i]] * vector.values[i];
    scores[label] = score;
  }
  return scores;
}

function probabilities(model: TfidfClassifier, vector: SparseVector): Float64Array {
  const scores = labelScores(model, vector);
  if (model.temperature !== 1) for (let label = 0; label < scores.length; label++) scores[label] /= model.temperature;
  softmaxInPlace(scores);
  return scores;
}

interface Vocabulary {
  terms: string[];
  surfaces: string[];
  idf: Float64Array;
  termIndex: Map<string, number>;
}

function pickMostCommon(surfaceCounts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [surface, count] of surfaceCounts) {
    // Ties go to the shorter, then alphabetically first, surface so the choice is stable.
    if (count > bestCount || (count === bestCount && (surface.length < best.length || (surface.length === best.length && surface < best)))) {
      best = surface;
      bestCount = count;
    }
  }
  return best;
}

function buildVocabulary(
  examples: readonly LabelledText[],
  tokenizer: TextTokenizer,
  minDocumentFrequency: number,
  matcher: GazetteerMatcher | null,
): Vocabulary {
  const documentFrequency = new Map<string, number>();
  const surfaceCounts = new Map<string, Map<string, number>>();
  for (const medium of GAZETTEER_MEDIA) surfaceCounts.set(GAZETTEER_TERMS[medium], new Map([[GAZETTEER_SURFACES[medium], 1]]));
  for (const example of examples) {
    const seenInDocument = new Set<string>();
    for (const text of [example.title, example.summary]) {
      if (matcher !== null) {
        matcher.reset();
        for (const word of nameWords(text)) {
          const medium = matcher.push(word);
          if (medium !== null) seenInDocument.add(GAZETTEER_TERMS[medium]);
        }
      }
      const analyzed = tokenizer.analyzeWithSurfaces(text);
      analyzed.terms.forEach((term, i) => {
        seenInDocument.add(term);
        let counts = surfaceCounts.get(term);
        if (counts === undefined) surfaceCounts.set(term, (counts = new Map()));
        const surface = analyzed.surfaces[i];
        counts.set(surface, (counts.get(surface) ?? 0) + 1);
      });
    }
    for (const term of seenInDocument) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }

  const kept = [...documentFrequency.entries()]
    .filter(([, frequency]) => frequency >= minDocumentFrequency)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const documentCount = examples.length;
  const terms = kept.map(([term]) => term);
  const idf = Float64Array.from(kept, ([, frequency]) => Math.log((1 + documentCount) / (1 + frequency)) + 1);
  const surfaces = terms.map((term) => pickMostCommon(surfaceCounts.get(term) ?? new Map()));
  const termIndex = new Map(terms.map((term, index) => [term, index]));
  return { terms, surfaces, idf, termIndex };
}

/**
 * Softmax regression by SGD with L2 regularisation. Weights are kept as scale * v so the
 * L2 shrink of every weight each step is one multiplication (Bottou's trick).
 */
function fitSoftmaxRegression(
  vectors: readonly SparseVector[],
  labelIndices: readonly number[],
  featureCount: number,
  options: ResolvedTrainOptions,
): { weights: Float64Array[]; bias: Float64Array } {
  const labelCount = LABELS.length;
  const unscaled = Array.from({ length: labelCount }, () => new Float64Array(featureCount));
  const bias = new Float64Array(labelCount);
  let scale = 1;
  const random = seededRandom(options.seed);
  const order = vectors.map((_, i) => i);
  const scores = new Float64Array(labelCount);
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const exampleIndex of order) {
      const vector = vectors[exampleIndex];
      const rate = options.learningRate / (1 + step / vectors.length);
      step += 1;
      for (let label = 0; label < labelCount; label++) {
        let score = 0;
        const weights = unscaled[label];
        for (let k = 0; k < vector.length; k++) score += weights[vector.indices[k]] * vector.values[k];
        scores[label] = bias[label] + scale * score;
      }
      softmaxInPlace(scores);

      scale *= 1 - rate * options.l2;
      for (let label = 0; label < labelCount; label++) {
        const gradient = scores[label] - (labelIndices[exampleIndex] === label ? 1 : 0);
        if (gradient === 0) continue;
        const weights = unscaled[label];
        const update = (rate * gradient) / scale;
        for (let k = 0; k < vector.length; k++) weights[vector.indices[k]] -= update * vector.values[k];
        bias[label] -= rate * gradient;
      }
      if (scale < 1e-6) {
        for (const weights of unscaled) for (let f = 0; f < featureCount; f++) weights[f] *= scale;
        scale = 1;
      }
    }
  }
  for (const weights of unscaled) for (let f = 0; f < featureCount; f++) weights[f] *= scale;
  return { weights: unscaled, bias };
}

/** What training knows besides the labelled examples. */
export interface TrainingKnowledge {
  /** Names and their medium; used when `gazetteerFeatures` is on. */
  gazetteer?: readonly GazetteerEntry[];
}

function makeCounter(termIndex: ReadonlyMap<string, number>, tokenizer: TextTokenizer, featureCount: number, gazetteer: readonly GazetteerEntry[]): FeatureCounter {
  const gazetteerFeatures =
    gazetteer.length === 0
      ? null
      : { matcher: new GazetteerMatcher(gazetteer), video: termIndex.get(GAZETTEER_TERMS.video) ?? -1, image: termIndex.get(GAZETTEER_TERMS.image) ?? -1 };
  return new FeatureCounter(termIndex, tokenizer, featureCount, gazetteerFeatures);
}

/**
 * Out-of-fold label scores: the training set is cut into `folds` by title hash (so copies of one
 * story stay in one fold), and each fold is scored by a model trained on the others.
 */
function crossValidatedScores(
  examples: readonly LabelledText[],
  options: ResolvedTrainOptions,
  knowledge: TrainingKnowledge,
): { scores: Float64Array; label: number }[] | null {
  const folds = options.calibrationFolds;
  if (folds < 2 || examples.length < MIN_EXAMPLES_TO_CALIBRATE) return null;
  const foldOf = examples.map((example) => splitBucket(example.title) % folds);
  const scored: { scores: Float64Array; label: number }[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const trainPart = examples.filter((_, i) => foldOf[i] !== fold);
    const testPart = examples.filter((_, i) => foldOf[i] === fold);
    if (testPart.length === 0 || new Set(trainPart.map((example) => example.label)).size < 2) return null;
    const foldModel = trainClassifier(trainPart, { ...options, calibrationFolds: 0 }, knowledge);
    const counter = counterFor(foldModel);
    for (const example of testPart) {
      const vector = vectorize(counter, example, options.titleWeight, foldModel.idf, true);
      scored.push({ scores: labelScores(foldModel, vector), label: LABELS.indexOf(example.label) });
    }
  }
  return scored;
}

export function trainClassifier(examples: readonly LabelledText[], options?: TrainOptions, knowledge: TrainingKnowledge = {}): TfidfClassifier {
  const resolved = resolveOptions(options);
  const distinctLabels = new Set(examples.map((example) => example.label));
  if (distinctLabels.size < 2) {
    throw new RangeError(`training needs examples of at least two labels; got ${examples.length} examples of [${[...distinctLabels].join(', ')}]`);
  }
  const gazetteer = resolved.gazetteerFeatures ? (knowledge.gazetteer ?? []) : [];
  const tokenizer = new TextTokenizer({ bigrams: resolved.bigrams });
  const vocabulary = buildVocabulary(examples, tokenizer, resolved.minDocumentFrequency, gazetteer.length > 0 ? new GazetteerMatcher(gazetteer) : null);
  const counter = makeCounter(vocabulary.termIndex, tokenizer, vocabulary.terms.length, gazetteer);
  const vectors = examples.map((example) => vectorize(counter, example, resolved.titleWeight, vocabulary.idf, false));
  const labelIndices = examples.map((example) => LABELS.indexOf(example.label));
  const { weights, bias } = fitSoftmaxRegression(vectors, labelIndices, vocabulary.terms.length, resolved);
  const outOfFoldScores = crossValidatedScores(examples, resolved, knowledge);
  const temperature = outOfFoldScores === null ? 1 : fitTemperature(outOfFoldScores);
  return {
    gazetteer,
    temperature,
    outOfFold: outOfFoldScores?.map(({ scores, label }) => ({ probabilities: calibrated(scores, temperature), label })),
    options: resolved,
    labels: LABELS,
    termIndex: vocabulary.termIndex,
    terms: vocabulary.terms,
    surfaces: vocabulary.surfaces,
    idf: vocabulary.idf,
    weights,
    bias,
    trainingSize: examples.length,
    trainedAt: new Date().toISOString(),
    tokenizer,
  };
}

/**
 * The terms that pushed the winning label ahead of the runner-up the most: each feature's
 * value times (winner weight - runner-up weight), positive contributions only, strongest first
 * (earlier features first on ties), each surface once, at most MAX_EXPLAINING_TERMS.
 *
 * Rather than sorting every contribution, keeps the best few surfaces sorted as it goes: a
 * surface ranks by its strongest contribution, a stronger one moves it up, and an entry pushed
 * off the end can only come back with a contribution stronger than everything then listed.
 */
function explainingTerms(model: TfidfClassifier, vector: SparseVector, winner: number, runnerUp: number): string[] {
  const terms: string[] = [];
  const amounts: number[] = [];
  const winnerWeights = model.weights[winner];
  const runnerUpWeights = model.weights[runnerUp];
  for (let i = 0; i < vector.length; i++) {
    const index = vector.indices[i];
    const amount = vector.values[i] * (winnerWeights[index] - runnerUpWeights[index]);
    if (!(amount > 0)) continue;
    const surface = model.surfaces[index];
    const listed = terms.indexOf(surface);
    if (listed >= 0) {
      if (amount <= amounts[listed]) continue;
      terms.splice(listed, 1);
      amounts.splice(listed, 1);
    } else if (terms.length === MAX_EXPLAINING_TERMS && amount <= amounts[MAX_EXPLAINING_TERMS - 1]) {
      continue;
    }
    let position = 0;
    while (position < amounts.length && amounts[position] >= amount) position += 1;
    terms.splice(position, 0, surface);
    amounts.splice(position, 0, amount);
    if (terms.length > MAX_EXPLAINING_TERMS) {
      terms.pop();
      amounts.pop();
    }
  }
  return terms;
}

/** Each model's word cache and scratch buffers, made on first use; they die with the model. */
const countersByModel = new WeakMap<TfidfClassifier, FeatureCounter>();

function counterFor(model: TfidfClassifier): FeatureCounter {
  let counter = countersByModel.get(model);
  if (counter === undefined) {
    counter = makeCounter(model.termIndex, model.tokenizer, model.terms.length, model.gazetteer);
    countersByModel.set(model, counter);
  }
  return counter;
}

function calibrated(scores: Float64Array, temperature: number): Float64Array {
  const copy = Float64Array.from(scores, (score) => score / temperature);
  softmaxInPlace(copy);
  return copy;
}

/** The calibrated probability of each label (LABELS order) for a text. */
export function classifyProbabilities(model: TfidfClassifier, text: { title: string; summary: string }): Float64Array {
  return probabilities(model, vectorize(counterFor(model), text, model.options.titleWeight, model.idf, true));
}

export function classifyText(model: TfidfClassifier, text: { title: string; summary: string }): Classification {
  const vector = vectorize(counterFor(model), text, model.options.titleWeight, model.idf, true);
  const probability = probabilities(model, vector);
  let winner = 0;
  for (let label = 1; label < probability.length; label++) if (probability[label] > probability[winner]) winner = label;
  let runnerUp = winner === 0 ? 1 : 0;
  for (let label = 0; label < probability.length; label++) {
    if (label !== winner && probability[label] > probability[runnerUp]) runnerUp = label;
  }
  return {
    label: model.labels[winner],
    confidence: probability[winner],
    terms: explainingTerms(model, vector, winner, runnerUp),
  };
}

interface SerializedClassifier {
  format: string;
  version: number;
  labels: string[];
  options: ResolvedTrainOptions;
  trainingSize: number;
  trainedAt: string;
  terms: string[];
  surfaces: string[];
  idf: number[];
  weights: number[][];
  bias: number[];
  /** Optional: models saved before calibration read as 1. */
  temperature?: number;
  /** Optional: models saved before the gazetteer read as none. */
  gazetteer?: GazetteerEntry[];
}

export function serializeClassifier(model: TfidfClassifier): string {
  const serialized: SerializedClassifier = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_FORMAT_VERSION,
    labels: [...model.labels],
    options: model.options,
    trainingSize: model.trainingSize,
    trainedAt: model.trainedAt,
    terms: [...model.terms],
    surfaces: [...model.surfaces],
    idf: Array.from(model.idf),
    weights: model.weights.map((weights) => Array.from(weights)),
    bias: Array.from(model.bias),
    temperature: model.temperature,
    gazetteer: [...model.gazetteer],
  };
  return JSON.stringify(serialized);
}

function isFiniteNumberArray(value: unknown, length: number): value is number[] {
  return Array.isArray(value) && value.length === length && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function isStringArray(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((s) => typeof s === 'string');
}

/** `source` (e.g. a file path) only names where the text came from in error messages. */
export function deserializeClassifier(json: string, source?: string): TfidfClassifier {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ClassifierFormatError(`saved classifier is not valid JSON (${(error as Error).message})`, source);
  }
  const data = value as Partial<SerializedClassifier> | null;
  if (typeof data !== 'object' || data === null || data.format !== CLASSIFIER_FORMAT) {
    throw new ClassifierFormatError(`not a saved classifier (expected format "${CLASSIFIER_FORMAT}")`, source);
  }
  if (data.version !== CLASSIFIER_FORMAT_VERSION) {
    throw new ClassifierFormatError(
      `saved classifier has format version ${JSON.stringify(data.version)}, this code reads version ${CLASSIFIER_FORMAT_VERSION}; retrain it (delete the file to retrain from the corpus)`,
      source,
    );
  }
  if (!isStringArray(data.labels, LABELS.length) || data.labels.some((label, i) => label !== LABELS[i])) {
    throw new ClassifierFormatError(`saved classifier labels ${JSON.stringify(data.labels)} differ from [${LABELS.join(', ')}]`, source);
  }
  const featureCount = Array.isArray(data.terms) ? data.terms.length : -1;
  const savedOptions = (typeof data.options === 'object' && data.options !== null ? data.options : {}) as Partial<ResolvedTrainOptions>;
  // Only the tokenizer and title weight affect classification; they must be saved, not defaulted.
  const options: ResolvedTrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...savedOptions };
  const wellFormed =
    isStringArray(data.terms, featureCount) &&
    isStringArray(data.surfaces, featureCount) &&
    isFiniteNumberArray(data.idf, featureCount) &&
    Array.isArray(data.weights) &&
    data.weights.length === LABELS.length &&
    data.weights.every((weights) => isFiniteNumberArray(weights, featureCount)) &&
    isFiniteNumberArray(data.bias, LABELS.length) &&
    typeof data.trainingSize === 'number' &&
    typeof data.trainedAt === 'string' &&
    typeof savedOptions.titleWeight === 'number' &&
    savedOptions.titleWeight > 0 &&
    typeof savedOptions.bigrams === 'boolean' &&
    (data.temperature === undefined || (typeof data.temperature === 'number' && data.temperature > 0 && Number.isFinite(data.temperature))) &&
    (data.gazetteer === undefined ||
      (Array.isArray(data.gazetteer) &&
        data.gazetteer.every(
          (entry) => typeof entry?.name === 'string' && (GAZETTEER_MEDIA as readonly string[]).includes(entry.medium) && typeof entry.kind === 'string',
        )));
  if (!wellFormed) throw new ClassifierFormatError('saved classifier is damaged (missing or mismatched arrays)', source);

  const terms = data.terms as string[];
  return {
    options,
    labels: LABELS,
    termIndex: new Map(terms.map((term, index) => [term, index])),
    terms,
    surfaces: data.surfaces as string[],
    idf: Float64Array.from(data.idf as number[]),
    weights: (data.weights as number[][]).map((weights) => Float64Array.from(weights)),
    bias: Float64Array.from(data.bias as number[]),
    trainingSize: data.trainingSize as number,
    trainedAt: data.trainedAt as string,
    tokenizer: new TextTokenizer({ bigrams: options.bigrams }),
    gazetteer: data.gazetteer ?? [],
    temperature: data.temperature ?? 1,
  };
}

/** Writes a temporary file beside `path` and renames it over `path`, so readers never see half a model. */
export function saveClassifier(model: TfidfClassifier, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporaryPath = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporaryPath, serializeClassifier(model), 'utf8');
    renameSync(temporaryPath, path);
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}

export function loadClassifier(path: string): TfidfClassifier {
  return deserializeClassifier(readFileSync(path, 'utf8'), path);
}

/**
 * Loads the saved model, or when the file does not exist trains one on the corpus's train split
 * and saves it. A file that exists but cannot be read is an error, not a reason to retrain:
 * it may hold editor-improved weights.
 */
export function loadOrTrainClassifier(
  modelPath: string,
  corpusDir: string,
  options?: TrainOptions,
  knowledge?: TrainingKnowledge,
): { model: TfidfClassifier; trainedNow: boolean } {
  if (existsSync(modelPath)) return { model: loadClassifier(modelPath), trainedNow: false };
  const model = trainClassifier(loadCorpus(corpusDir).train, options, knowledge);
  saveClassifier(model, modelPath);
  return { model, trainedNow: true };
}
