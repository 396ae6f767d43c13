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

/** One line of display text: unsafe characters removed, whitespace runs collapsed, trimmed. */
export function toFeedText(text: string): string {
  return stripXmlUnsafeChars(text).replace(/\s+/g, ' ').trim();
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
