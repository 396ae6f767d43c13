/**
 * Where a string next occurs at or after a position, for positions that only grow: the document
 * is searched again only once the last answer has been passed, so every search in a document
 * together reads it once (searching afresh from each of many short runs would not).
 */
export class NextOccurrence {
  /** The last search: from where, and what it found (-1: nothing from there on). */
  private searchedFrom = Number.POSITIVE_INFINITY;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  /** Index of the next occurrence at or after `from`, or -1. */
  at(from: number): number {
    if (from < this.searchedFrom || (this.found >= 0 && this.found < from)) {
      this.searchedFrom = from;
      this.found = this.text.indexOf(this.needle, from);
    }
    return this.found;
  }
}
