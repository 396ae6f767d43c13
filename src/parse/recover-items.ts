/**
 * Recovery for a truncated or ill-formed feed document (a body cut mid-item, an unclosed root, a
 * stray close tag): keep everything up to the end of the last item or entry that closed before the
 * first XML error, close the elements still open there, and let the caller parse that. Python
 * feedparser's lenient mode recovers such feeds too; a reader loses the broken tail, not the feed.
 */
import sax from 'sax';

export interface RecoveredDocument {
  /** The document cut after its last complete item, with its open elements closed. */
  xml: string;
  /** What was wrong, for /health: the first XML error (positions would be those of the cleaned-up text, so none). */
  problem: string;
}

const ITEM_CLOSE = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/;

/** Thrown from sax handlers to stop reading once the first error is known. */
const STOP = Symbol('stop');

function isItemElement(name: string): boolean {
  const local = name.slice(name.indexOf(':') + 1);
  return local === 'item' || local === 'entry';
}

/**
 * The document truncated after its last complete item before the first XML error, or null when it
 * has no error or no item completes before it. One sax pass: linear in the document size.
 */
export function recoverCompleteItems(xml: string): RecoveredDocument | null {
  // Without a closing item tag there is nothing to recover: skip the sax pass.
  if (!ITEM_CLOSE.test(xml)) return null;
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: true });
  const open: string[] = [];
  let cut: { at: number; open: string[] } | null = null;
  let error: string | null = null;

  parser.onopentag = (tag) => {
    open.push(tag.name);
  };
  parser.onclosetag = (name) => {
    open.pop();
    // Only an item inside the root counts; position is just past its '>'.
    if (isItemElement(name) && open.length > 0) cut = { at: parser.position, open: open.slice() };
    if (open.length === 0) throw STOP;
  };
  parser.onerror = (err) => {
    error = err.message.split('\n')[0];
    throw STOP;
  };
  try {
    parser.write(xml).close();
  } catch (thrown) {
    if (thrown !== STOP) return null;
  }
  const found = error as string | null;
  const last = cut as { at: number; open: string[] } | null;
  if (found === null || last === null) return null;
  const closing = last.open
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return {
    xml: xml.slice(0, last.at) + closing,
    problem: `truncated or ill-formed XML (${found})`,
  };
}
