/**
 * Types for the `natural` modules imported by path (the tokenizer; the tests compare its word scanner with WordTokenizer).
 *
 * We import them by path instead of `import natural from 'natural'` because the package index
 * also loads natural's storage back-ends, which call dotenv and print banner lines to stdout
 * (that would corrupt the CLI's JSON-lines output) and take ~0.8 s to load.
 */
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export class WordTokenizer {
    constructor(options?: { discardEmpty?: boolean });
    tokenize(text: string): string[];
  }
}

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}

declare module 'natural/lib/natural/distance/levenshtein_distance.js' {
  const distances: { DamerauLevenshteinDistance(source: string, target: string): number };
  export default distances;
}
