import { isAscii, isUtf8 } from 'node:buffer';
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

/**
 * Valid multi-byte UTF-8 sequences and invalid bytes in `bytes`. A UTF-8 document with a few bad
 * bytes has many of the first and few of the second; a Windows-1252 one has none of the first
 * (its accented letters are single bytes that never form a valid sequence by chance in real text).
 */
function utf8Evidence(bytes: Buffer): { sequences: number; invalid: number } {
  let sequences = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) valid = (bytes[i + k] & 0xc0) === 0x80;
    // Overlong and surrogate forms are not valid UTF-8 either.
    if (valid && length === 3) valid = !(lead === 0xe0 && bytes[i + 1] < 0xa0) && !(lead === 0xed && bytes[i + 1] >= 0xa0);
    if (valid && length === 4) valid = !(lead === 0xf0 && bytes[i + 1] < 0x90) && !(lead === 0xf4 && bytes[i + 1] >= 0x90);
    if (valid) {
      sequences += 1;
      i += length;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { sequences, invalid };
}

/**
 * Decodes a feed body. Precedence: BOM > Content-Type charset > XML declaration > UTF-8, with two
 * corrections for the usual server mistakes:
 * - a body declared (or defaulted) as UTF-8 that is not valid UTF-8 stays UTF-8, its bad bytes
 *   replaced by U+FFFD, when it is mostly UTF-8; only a body without UTF-8 sequences is read as
 *   Windows-1252 (one bad byte must not turn every "é" of the feed into "Ã©");
 * - a body declared ISO-8859-1 / Windows-1252 / ASCII whose non-ASCII bytes are all valid UTF-8
 *   is UTF-8 (as Latin-1 it would read as mojibake, and real Latin-1 text is never valid UTF-8).
 */
export function decodeFeedBody(bytes: Buffer, contentType: string | null): DecodedBody {
  const bom = encodingFromBom(bytes);
  if (bom) return { text: iconv.decode(bytes.subarray(bom.bomLength), bom.encoding, { stripBOM: true }), encoding: bom.encoding };

  let encoding = charsetFromContentType(contentType) ?? encodingFromXmlDeclaration(bytes) ?? 'utf-8';
  if (encoding === 'utf-8' && !isUtf8(bytes)) {
    const { sequences, invalid } = utf8Evidence(bytes);
    if (sequences <= invalid) encoding = 'windows-1252';
  } else if (encoding === 'windows-1252' && !isAscii(bytes) && isUtf8(bytes)) {
    encoding = 'utf-8';
  }
  return { text: iconv.decode(bytes, encoding, { stripBOM: true }), encoding };
}
