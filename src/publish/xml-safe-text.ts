/**
 * Text clean-up applied to every string before it is rendered into a feed.
 *
 * XML 1.0 forbids most C0 control characters (even as character references), lone UTF-16
 * surrogates and U+FFFE/U+FFFF; one such character makes the whole document malformed and
 * strict readers then drop the entire feed. Upstream titles do carry them (BEL, form feeds,
 * stray surrogates from truncated emoji), so they are removed rather than escaped.
 * C1 controls are legal but "discouraged" in XML 1.0 and never meaningful in a headline, so they go too.
 */

// Allowed: TAB, LF, CR, U+0020..U+007E, U+00A0..U+D7FF, U+E000..U+FFFD, supplementary planes.
// The `u` flag makes a lone surrogate a single code point in U+D800..U+DFFF, which is not allowed.
const XML_UNSAFE_CHARS = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripXmlUnsafeChars(text: string): string {
  return text.replace(XML_UNSAFE_CHARS, '');
}

/**
 * Bidirectional embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069). In a
 * headline they only serve to make text read differently from what it is (e.g. reversing a file
 * name or a word), and an unterminated one reorders whatever the page shows after it.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * One line of display text, for feeds and pages alike: characters illegal in XML, C1 controls and
 * bidi controls removed, whitespace runs collapsed, trimmed.
 */
export function toFeedText(text: string): string {
  return stripXmlUnsafeChars(text).replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/**
 * "<" where an HTML parser would start a tag, comment or declaration: before a letter, "/", "!" or
 * "?". Also its entity spellings (&lt; &#60; &#x3c;), which a reader that decodes entities before
 * rendering would turn into the same thing. A "<" before anything else ("<10 seconds") is plain text.
 */
const TAG_OPENER = /(?:<|&lt;|&#0*60;|&#x0*3c;)(?=[A-Za-z/!?])/gi;

/** Shown instead of a tag-opening "<": reads as an angle bracket, is never markup. */
const TAG_OPENER_REPLACEMENT = '\u2039';

/**
 * A plain-text field of a published feed (title, author, outlet name). RSS titles sit in CDATA,
 * JSON Feed titles are raw strings, and many readers and sites render both as HTML; so a text
 * field must not contain anything an HTML parser would read as a tag. Tag openers become "‹"
 * (U+2039): `<img src=x onerror=…>` reads as `‹img src=x onerror=…>`, and "<10 s" stays as it is.
 */
export function toPlainTextField(text: string): string {
  return toFeedText(text).replace(TAG_OPENER, TAG_OPENER_REPLACEMENT);
}

/**
 * The `feed` package writes some plain-text fields (e.g. the RSS item title) as CDATA and only
 * splits the *first* `]]>` in a value, so a second one would end the section early. The sequence
 * never carries meaning in a headline; a space keeps the text readable and the XML well-formed.
 */
export function breakCdataTerminators(text: string): string {
  return text.replaceAll(']]>', ']] >');
}

/**
 * xml-js (the writer inside `feed`) turns "&amp;" back into "&" before escaping text nodes, which
 * silently alters a value that really contains "&amp;" (e.g. an author "Smith &amp; Jones" from a
 * double-encoded source). Pre-escaping "&" is exactly undone by that step, so the value survives intact.
 * Only for plain-text nodes (`_text`); CDATA and attributes are written verbatim.
 */
export function forXmlJsText(text: string): string {
  return text.replace(/&/g, '&amp;');
}
