import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS, type Label, type LabelledText } from '../src/model';
import { classifyJsonLines } from '../src/classify/classify-lines';
import { CorpusError, loadCorpus, readCorpusExamples, splitExamples } from '../src/classify/corpus';
import { runEval } from '../src/classify/eval-command';
import { evaluateClassifier, formatEvaluation } from '../src/classify/evaluate';
import { retrainWithEditorLabels } from '../src/classify/retrain';
import {
  ClassifierFormatError,
  classifyText,
  deserializeClassifier,
  loadClassifier,
  loadOrTrainClassifier,
  saveClassifier,
  serializeClassifier,
  trainClassifier,
  type TfidfClassifier,
} from '../src/classify/tfidf-classifier';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import { TextTokenizer, WordScanner } from '../src/classify/tokenize';

const CORPUS_DIR = fileURLToPath(new URL('../data/corpus', import.meta.url));
const MACRO_F1_FLOOR = 0.85;

const temporaryDirs: string[] = [];
function makeTemporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'classify-test-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function jsonl(examples: readonly LabelledText[]): string {
  return examples.map((example) => JSON.stringify(example)).join('\n') + '\n';
}

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('tokenizer', () => {
  it('stems, drops stop words and numbers, and keeps readable surfaces for bigrams', () => {
    const tokenizer = new TextTokenizer({ bigrams: true });
    const analyzed = tokenizer.analyzeWithSurfaces('The NEW Text-to-Video models generated 20 clips');
    expect(analyzed.terms).toEqual(['new', 'text', 'new text', 'video', 'text video', 'model', 'video model', 'gener', 'model gener', 'clip', 'gener clip']);
    expect(analyzed.surfaces[analyzed.terms.indexOf('text video')]).toBe('text-to-video');
    expect(analyzed.surfaces[analyzed.terms.indexOf('gener')]).toBe('generated');
    expect(tokenizer.terms('The NEW Text-to-Video models generated 20 clips')).toEqual(analyzed.terms);
  });

  it("finds exactly the words natural's WordTokenizer finds (the saved model's terms depend on it)", () => {
    const words = (text: string) => {
      const scanner = new WordScanner();
      scanner.reset(text);
      const found: string[] = [];
      for (let word = scanner.next(); word !== null; word = scanner.next()) found.push(word);
      return found;
    };
    const natural = new WordTokenizer();
    const corpusTexts = readCorpusExamples(CORPUS_DIR).flatMap((example) => [example.title, example.summary]);
    // Mixed scripts and separators around the edges of natural's character class.
    const alphabet = 'aZ09_-. ,\'’éßЁёАяЯ@Ω\u212a\t\n😀';
    let state = 7;
    const fuzzed = Array.from({ length: 3000 }, () => {
      let text = '';
      for (let i = 0; i < 24; i += 1) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        text += [...alphabet][state % [...alphabet].length];
      }
      return text;
    });
    for (const text of [...corpusTexts, ...fuzzed, '', '  ', 'Text-to-video_v2 Пример']) {
      expect(words(text)).toEqual(natural.tokenize(text));
    }
  });
});

describe('corpus loading', () => {
  it('names the file and line of a bad corpus line', () => {
    const dir = makeTemporaryDir();
    writeFileSync(join(dir, 'video.jsonl'), '{"title":"Sora 2 ships","summary":"Video model.","label":"video"}\n\n{"title":"Veo","summary":"x","label":"movie"}\n');
    expect(() => loadCorpus(dir)).toThrow(CorpusError);
    expect(() => loadCorpus(dir)).toThrow(`${join(dir, 'video.jsonl')}:3: "label" must be one of video, image, neither; got "movie"`);

    writeFileSync(join(dir, 'video.jsonl'), '{"title":"Sora 2 ships","summary":"Video model.","label":"video"}\n{"title": "broken"\n');
    expect(() => loadCorpus(dir)).toThrow(`${join(dir, 'video.jsonl')}:2: invalid JSON`);
  });

  it('rejects a headline that appears with two different labels', () => {
    const dir = makeTemporaryDir();
    writeFileSync(join(dir, 'image.jsonl'), jsonl([{ title: 'Flux 2 arrives', summary: 'a', label: 'image' }]));
    writeFileSync(join(dir, 'video.jsonl'), jsonl([{ title: 'flux 2  arrives', summary: 'b', label: 'video' }]));
    expect(() => loadCorpus(dir)).toThrow(/video\.jsonl:1: title also appears at .*image\.jsonl:1 with label "image"/);
  });

  it('keeps every example on the same side of the split when lines are added', () => {
    const examples: LabelledText[] = Array.from({ length: 300 }, (_, i) => ({
      title: `Story number ${i} about ${LABELS[i % 3]}`,
      summary: 'text',
      label: LABELS[i % 3],
    }));
    const small = splitExamples(examples.slice(0, 200));
    const large = splitExamples(examples);
    const largeHeldOut = new Set(large.heldOut.map((example) => example.title));
    for (const example of small.heldOut) expect(largeHeldOut.has(example.title)).toBe(true);
    for (const example of small.train) expect(largeHeldOut.has(example.title)).toBe(false);
    const heldOutShare = large.heldOut.length / examples.length;
    expect(heldOutShare).toBeGreaterThan(0.12);
    expect(heldOutShare).toBeLessThan(0.28);
  });

  it('holds out at least one example of each label even in a tiny corpus', () => {
    const tiny: LabelledText[] = LABELS.flatMap((label) => [0, 1, 2].map((i) => ({ title: `${label} story ${i}`, summary: '', label })));
    const split = splitExamples(tiny);
    for (const label of LABELS) expect(split.heldOut.some((example) => example.label === label)).toBe(true);
    expect(split.train.length + split.heldOut.length).toBe(tiny.length);
  });
});

describe('classifier trained on data/corpus', () => {
  let model: TfidfClassifier;
  let heldOut: LabelledText[];
  let train: LabelledText[];

  beforeAll(() => {
    ({ train, heldOut } = loadCorpus(CORPUS_DIR));
    model = trainClassifier(train);
  });

  it('has held-out examples of every label and reaches the macro-F1 floor on them', () => {
    for (const label of LABELS) expect(heldOut.filter((example) => example.label === label).length).toBeGreaterThanOrEqual(10);
    const report = evaluateClassifier(model, heldOut);
    expect(report.total).toBe(heldOut.length);
    expect(report.macroF1, formatEvaluation(report)).toBeGreaterThanOrEqual(MACRO_F1_FLOOR);
  });

  it.each<[Label, { title: string; summary: string }, RegExp]>([
    [
      'video',
      {
        title: 'Startup unveils text-to-video model that renders 30-second clips with sound',
        summary: 'The generator animates scenes from a prompt, keeps characters consistent from shot to shot and supports camera moves.',
      },
      /video|clip|shot|animat/,
    ],
    [
      'image',
      {
        title: 'New text-to-image model finally gets typography right in generated posters',
        summary: 'The image generator renders legible text, logos and photorealistic pictures at 4K resolution from a prompt.',
      },
      /image|poster|photo|picture|typograph/,
    ],
    [
      'neither',
      {
        title: 'Lab releases a reasoning LLM that tops coding benchmarks',
        summary: 'The large language model writes and debugs code, answers math questions and powers a chatbot with a longer context window.',
      },
      /llm|language|coding|code|reasoning|benchmark|chatbot|math/,
    ],
  ])('labels a clear %s story correctly with readable supporting terms', (expected, story, expectedTerm) => {
    const result = classifyText(model, story);
    expect(result.label).toBe(expected);
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.terms.length).toBeGreaterThan(0);
    expect(result.terms.length).toBeLessThanOrEqual(5);
    expect(result.terms.some((term) => expectedTerm.test(term)), result.terms.join(', ')).toBe(true);
    // Every shown term is a readable form of something in the story, not a bare stem.
    const storyTerms = new Set(model.tokenizer.terms(`${story.title} ${story.summary}`));
    for (const term of result.terms) {
      const termStems = model.tokenizer.terms(term);
      expect(termStems.some((stem) => storyTerms.has(stem)), `${term} not from story`).toBe(true);
    }
  });

  it('counts title words more than summary words', () => {
    const videoTitle = classifyText(model, {
      title: 'AI video generator makes cinematic clips',
      summary: 'It also makes images and pictures.',
    });
    const imageTitle = classifyText(model, {
      title: 'AI image generator makes pictures',
      summary: 'It also makes video clips, cinematic ones.',
    });
    expect(videoTitle.label).toBe('video');
    expect(imageTitle.label).toBe('image');
  });

  it('gives identical output after a save / load round-trip and leaves no temporary file', () => {
    const dir = makeTemporaryDir();
    const path = join(dir, 'models', 'classifier.json');
    saveClassifier(model, path);
    expect(readdirSync(join(dir, 'models'))).toEqual(['classifier.json']);
    const loaded = loadClassifier(path);
    for (const example of [...heldOut, { title: '', summary: '' }]) {
      expect(classifyText(loaded, example)).toEqual(classifyText(model, example));
    }
    expect(serializeClassifier(loaded)).toBe(serializeClassifier(model));
  });

  it('refuses a saved model of another format version with a clear error', () => {
    const saved = JSON.parse(serializeClassifier(model)) as { version: number };
    saved.version = 999;
    expect(() => deserializeClassifier(JSON.stringify(saved), 'model.json')).toThrow(ClassifierFormatError);
    expect(() => deserializeClassifier(JSON.stringify(saved), 'model.json')).toThrow(/model\.json: saved classifier has format version 999/);
    expect(() => deserializeClassifier('{"format":"something-else"}')).toThrow(/not a saved classifier/);
    expect(() => deserializeClassifier('not json')).toThrow(/not valid JSON/);
  });

  it('trains and saves when the model file is missing, then loads it', () => {
    const path = join(makeTemporaryDir(), 'classifier.json');
    const first = loadOrTrainClassifier(path, CORPUS_DIR);
    expect(first.trainedNow).toBe(true);
    expect(existsSync(path)).toBe(true);
    const second = loadOrTrainClassifier(path, CORPUS_DIR);
    expect(second.trainedNow).toBe(false);
    expect(serializeClassifier(second.model)).toBe(readFileSync(path, 'utf8'));
    expect(classifyText(second.model, heldOut[0])).toEqual(classifyText(model, heldOut[0]));
  });

  it('classifies JSON lines in order, reporting a bad line without stopping', async () => {
    const input = new PassThrough();
    const output = collect();
    const done = classifyJsonLines(input, output.stream, model);
    input.end(
      [
        JSON.stringify({ title: 'Runway Gen-5 generates minute-long video clips', summary: 'Text-to-video with camera control.' }),
        '',
        '{"title": "unterminated',
        JSON.stringify({ title: 'Midjourney V8 image model improves photorealism', summary: 'Generated pictures look sharper.' }),
        JSON.stringify({ summary: 'no title here' }),
        JSON.stringify({ title: 'Anthropic Claude 5 language model tops coding benchmarks' }),
      ].join('\n'),
    );
    const result = await done;
    expect(result).toEqual({ lines: 5, errors: 2 });
    const outputLines = output
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outputLines).toHaveLength(5);
    expect(outputLines[0]).toMatchObject({ label: 'video' });
    expect(outputLines[1].error).toMatch(/^line 3: invalid JSON/);
    expect(outputLines[2]).toMatchObject({ label: 'image' });
    expect(outputLines[3]).toEqual({ error: 'line 5: "title" must be a string' });
    expect(outputLines[4]).toMatchObject({ label: 'neither' });
    for (const line of [outputLines[0], outputLines[2], outputLines[4]]) {
      expect(Object.keys(line).sort()).toEqual(['confidence', 'label', 'terms']);
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('rejects a retrain on garbage editor labels and keeps the current model', () => {
    // Editors "relabel" a third of the training stories to the wrong label.
    const rotate: Record<Label, Label> = { video: 'image', image: 'neither', neither: 'video' };
    const garbage = train.filter((_, i) => i % 3 === 0).map((example) => ({ ...example, label: rotate[example.label] }));
    const result = retrainWithEditorLabels({ current: model, corpusDir: CORPUS_DIR, editorExamples: garbage });
    expect(result.adopted).toBe(false);
    expect(result.after.macroF1).toBeLessThan(result.before.macroF1);
    expect(result.before.macroF1).toBeCloseTo(evaluateClassifier(model, heldOut).macroF1, 10);
  });

  it('adopts a retrain whose editor labels make a weak model better', () => {
    const weak = trainClassifier(train.filter((_, i) => i % 10 === 0));
    const corrections = train.filter((_, i) => i % 4 === 1);
    const result = retrainWithEditorLabels({ current: weak, corpusDir: CORPUS_DIR, editorExamples: corrections });
    expect(result.adopted).toBe(true);
    expect(result.after.macroF1).toBeGreaterThan(result.before.macroF1);
    expect(result.after.total).toBe(heldOut.length);
  });

  it('never trains on an editor label for a held-out story', () => {
    const leaked = heldOut.slice(0, 5);
    const result = retrainWithEditorLabels({ current: model, corpusDir: CORPUS_DIR, editorExamples: leaked });
    expect(result.skippedHeldOut).toBe(5);
  });

  it('eval command prints per-label scores and returns the held-out macro-F1', () => {
    const output = collect();
    const macroF1 = runEval(CORPUS_DIR, output.stream);
    expect(macroF1).toBeCloseTo(evaluateClassifier(model, heldOut).macroF1, 10);
    const text = output.text();
    expect(text).toContain(`train      ${train.length}`);
    expect(text).toContain(`held-out   ${heldOut.length}`);
    expect(text).toContain(`macro-F1  ${macroF1.toFixed(3)}`);
    for (const label of LABELS) expect(text).toMatch(new RegExp(`^${label}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d+$`, 'm'));
  });
});

describe('classifier on a hand-made corpus', () => {
  it('refuses to train on a single label', () => {
    expect(() => trainClassifier([{ title: 'a video', summary: '', label: 'video' }])).toThrow(/at least two labels/);
  });

  it('reads the corpus files in a directory regardless of file name', () => {
    const dir = makeTemporaryDir();
    writeFileSync(join(dir, 'b.jsonl'), jsonl([{ title: 'B', summary: '', label: 'image' }]));
    writeFileSync(join(dir, 'a.jsonl'), jsonl([{ title: 'A', summary: '', label: 'video' }]));
    writeFileSync(join(dir, 'notes.txt'), 'not a corpus file');
    expect(readCorpusExamples(dir).map((example) => example.title)).toEqual(['A', 'B']);
  });
});
