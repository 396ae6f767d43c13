/**
 * Retraining with editors' relabels: a candidate model is trained on the corpus train split
 * plus editor examples, and replaces the current model only if it does at least as well on the
 * fixed held-out split. Pure: the caller decides whether to save the adopted model.
 */
import type { LabelledText } from '../model';
import { loadCorpus, normalizeTitle } from './corpus';
import { evaluateClassifier, type EvaluationReport } from './evaluate';
import type { GazetteerEntry } from './gazetteer';
import { ordinaryVocabulary, suggestGazetteerEntries, type GazetteerSuggestion } from './gazetteer-suggestions';
import { trainClassifier, type TfidfClassifier, type TrainOptions } from './tfidf-classifier';

/** An editor's label is a deliberate correction, so it counts as this many corpus lines. */
export const EDITOR_EXAMPLE_WEIGHT = 3;

export interface RetrainInput {
  current: TfidfClassifier;
  corpusDir: string;
  editorExamples: readonly LabelledText[];
  /** Training options for the candidate; defaults to the current model's. */
  options?: TrainOptions;
  /** The gazetteer as it is now on disk (it may have been edited since the current model was trained). */
  gazetteer?: readonly GazetteerEntry[];
}

export interface RetrainResult {
  candidate: TfidfClassifier;
  /** The current model on the held-out split. */
  before: EvaluationReport;
  /** The candidate on the held-out split. */
  after: EvaluationReport;
  /** True when the candidate's held-out macro-F1 is not lower than the current model's. */
  adopted: boolean;
  /** Editor examples left out because their titles are held-out examples (training on them would inflate `after`). */
  skippedHeldOut: number;
  /** Names in editor-labelled video/image stories that the gazetteer does not list yet. */
  gazetteerSuggestions: GazetteerSuggestion[];
}

export function retrainWithEditorLabels(input: RetrainInput): RetrainResult {
  const { train, heldOut } = loadCorpus(input.corpusDir);
  const heldOutTitles = new Set(heldOut.map((example) => normalizeTitle(example.title)));

  // The latest editor label for a title wins over earlier ones and over the corpus.
  const editorByTitle = new Map<string, LabelledText>();
  let skippedHeldOut = 0;
  for (const example of input.editorExamples) {
    const key = normalizeTitle(example.title);
    if (heldOutTitles.has(key)) {
      skippedHeldOut += 1;
      continue;
    }
    editorByTitle.delete(key);
    editorByTitle.set(key, example);
  }
  const corpusExamples = train.filter((example) => !editorByTitle.has(normalizeTitle(example.title)));
  const editorExamples = [...editorByTitle.values()];
  const trainingSet = [...corpusExamples];
  for (let copy = 0; copy < EDITOR_EXAMPLE_WEIGHT; copy++) trainingSet.push(...editorExamples);

  const gazetteer = input.gazetteer ?? input.current.gazetteer;
  const candidate = trainClassifier(trainingSet, input.options ?? input.current.options, { gazetteer });
  const before = evaluateClassifier(input.current, heldOut);
  const after = evaluateClassifier(candidate, heldOut);
  const ordinary = ordinaryVocabulary([...train, ...heldOut]);
  const gazetteerSuggestions = suggestGazetteerEntries(input.editorExamples, gazetteer, ordinary);
  return { candidate, before, after, adopted: after.macroF1 >= before.macroF1, skippedHeldOut, gazetteerSuggestions };
}
