/**
 * Finds keys in a config object that the schema does not know (`timeoutMS`, `feedz`): zod strips
 * them silently, so a misspelt setting would quietly keep its default. Each problem names the key's
 * full path and the closest known key.
 *
 * Walks the schema beside the input instead of marking every object `.strict()`, so sections added
 * later are covered without anyone remembering to.
 */
import natural from 'natural/lib/natural/distance/levenshtein_distance.js';
import type { z } from 'zod';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The object or array schema under wrappers such as default, prefault, optional and nullable. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    const def = defOf(current);
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else break;
  }
  return current;
}

/** The known key closest to `key` (edit distance, case ignored), when close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = natural.DamerauLevenshteinDistance(key.toLowerCase(), name.toLowerCase());
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  const allowed = Math.max(2, Math.floor(Math.max(key.length, best.name.length) / 3));
  return best.distance <= allowed ? best.name : null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One readable line per unknown key, e.g. `fetch.timeoutMS: unknown setting; did you mean "timeoutMs"?`. */
export function unknownKeyProblems(schema: z.ZodType, input: unknown, path: string[] = []): string[] {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'object' && def.shape !== undefined && isPlainObject(input)) {
    const known = Object.keys(def.shape);
    const problems: string[] = [];
    for (const [key, value] of Object.entries(input)) {
      const where = [...path, key].join('.');
      if (!Object.hasOwn(def.shape, key)) {
        const suggestion = closestKey(key, known);
        problems.push(
          suggestion === null
            ? `${where}: unknown setting (known here: ${known.join(', ')})`
            : `${where}: unknown setting; did you mean "${suggestion}"?`,
        );
        continue;
      }
      problems.push(...unknownKeyProblems(def.shape[key], value, [...path, key]));
    }
    return problems;
  }
  if (def.type === 'array' && def.element !== undefined && Array.isArray(input)) {
    return input.flatMap((value, index) => unknownKeyProblems(def.element!, value, [...path, String(index)]));
  }
  return [];
}
