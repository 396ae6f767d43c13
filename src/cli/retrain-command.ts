import { formatEvaluation } from '../classify/evaluate';
import { loadGazetteerIfPresent } from '../classify/gazetteer';
import { formatSuggestions, type GazetteerSuggestion } from '../classify/gazetteer-suggestions';
import { retrainWithEditorLabels } from '../classify/retrain';
import { saveClassifier } from '../classify/tfidf-classifier';
import type { Services } from '../services';

export interface RetrainOutcome {
  adopted: boolean;
  beforeMacroF1: number;
  afterMacroF1: number;
  editorExamples: number;
  /** Names from editor-labelled stories not yet in the gazetteer: `{name, medium, stories}`. */
  gazetteerSuggestions: GazetteerSuggestion[];
}

/**
 * Rebuilds the model from the corpus plus editor labels, prints before/after held-out scores and
 * saves (and swaps in) the new model only when it scores at least as well.
 */
export function retrainModel(services: Services, out: NodeJS.WritableStream): RetrainOutcome {
  const editorExamples = services.stories.editorTrainingExamples();
  const result = retrainWithEditorLabels({
    current: services.classifier.model,
    corpusDir: services.config.classifier.corpusDir,
    editorExamples,
    gazetteer: loadGazetteerIfPresent(services.config.classifier.gazetteerPath),
  });
  out.write(`Editor examples: ${editorExamples.length} (${result.skippedHeldOut} skipped: held-out titles)\n\n`);
  out.write(`Current model on the held-out split:\n${formatEvaluation(result.before)}\n\n`);
  out.write(`Retrained model on the held-out split:\n${formatEvaluation(result.after)}\n\n`);
  if (result.adopted) {
    saveClassifier(result.candidate, services.config.classifier.modelPath);
    services.classifier.model = result.candidate;
    out.write(`Adopted the retrained model (macro-F1 ${result.before.macroF1.toFixed(3)} -> ${result.after.macroF1.toFixed(3)}); saved to ${services.config.classifier.modelPath}\n`);
  } else {
    out.write(`Kept the current model: the retrained one scores lower (macro-F1 ${result.after.macroF1.toFixed(3)} < ${result.before.macroF1.toFixed(3)})\n`);
  }
  out.write(`\n${formatSuggestions(result.gazetteerSuggestions)}\n`);
  return {
    gazetteerSuggestions: result.gazetteerSuggestions,
    adopted: result.adopted,
    beforeMacroF1: result.before.macroF1,
    afterMacroF1: result.after.macroF1,
    editorExamples: editorExamples.length,
  };
}
