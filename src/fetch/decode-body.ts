import iconv from 'iconv-lite';

export interface DecodedBody {
  text: string;
  /** The encoding actually used, for diagnostics. */
  encoding: string;
}

/**
 * Labels that browsers (WHATWG Encoding) decode as windows-1252. Feeds labelled ISO-8859-1 very often
 * contain windows-1252 curly quotes and dashes in 0x80-0x9F, which ISO-8859-1 maps to control characters.
 */
const WINDOWS_1252_ALIASES = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'cp1252', 'windows-1252', 'x-cp1252']);

function normalizeLabel(label: string): string | null {
  const cleaned = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!cleaned) return null;
  if (WINDOWS_1252_ALIASES.has(cleaned)) return 'windows-1252';
  if (cleaned === 'utf8') return 'utf-8';
  return iconv.encodingExists(cleaned) ? cleaned : null;
}

function charsetFromContentType(contentType: string | null): string | null {
  const match = contentType?.match(/charset\s*=\s*("?)([^";,\s]+)\1/i);
  return match ? normalizeLabel(match[2]) : null;
}

function encodingFromBom(bytes: Buffer): { encoding: string; bomLength: number } | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

function encodingFromXmlDeclaration(bytes: Buffer): string | null {
  // UTF-16 without a BOM still starts with "<?" in 16-bit units.
  if (bytes.length >= 4 && bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  const head = bytes.subarray(0, 256).toString('latin1');
  const match = head.match(/^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/);
  return match ? normalizeLabel(match[1]) : null;
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a feed body. Precedence: BOM > Content-Type charset > XML declaration > UTF-8.
 * A body declared (or defaulted) as UTF-8 that is not valid UTF-8 is decoded as windows-1252,
 * the usual truth behind such mislabelled feeds, instead of filling titles with U+FFFD.
 */
export function decodeFeedBody(bytes: Buffer, contentType: string | null): DecodedBody {
  const bom = encodingFromBom(bytes);
  if (bom) return { text: iconv.decode(bytes.subarray(bom.bomLength), bom.encoding, { stripBOM: true }), encoding: bom.encoding };

  let encoding = charsetFromContentType(contentType) ?? encodingFromXmlDeclaration(bytes) ?? 'utf-8';
  if (encoding === 'utf-8' && !isValidUtf8(bytes)) encoding = 'windows-1252';
  return { text: iconv.decode(bytes, encoding, { stripBOM: true }), encoding };
}
