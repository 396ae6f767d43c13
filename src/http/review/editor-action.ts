/**
 * Turns a request (action name from the path + fields from the body) into an EditorAction,
 * with a message a person can act on when the input is wrong.
 */
import { LABELS, isLabel, type EditorAction, type Story } from '../../model';
import type { Parsed } from './review-filters';

export const ACTION_NAMES = ['approve', 'reject', 'relabel', 'pin'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export function isActionName(value: string): value is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(value);
}

/** `fields.pinned` must already be a boolean (the page converts its "true"/"false" form values). */
export function parseEditorAction(name: ActionName, fields: { label?: unknown; pinned?: unknown }): Parsed<EditorAction> {
  switch (name) {
    case 'approve':
    case 'reject':
      return { ok: true, value: { kind: name } };
    case 'relabel': {
      if (fields.label === undefined) {
        return { ok: false, message: `Relabelling needs a "label": one of ${LABELS.join(', ')}.` };
      }
      if (!isLabel(fields.label)) {
        const shown = typeof fields.label === 'string' ? `"${fields.label.slice(0, 40)}"` : JSON.stringify(fields.label)?.slice(0, 40);
        return { ok: false, message: `Unknown label ${shown}. Use one of: ${LABELS.join(', ')}.` };
      }
      return { ok: true, value: { kind: 'relabel', label: fields.label } };
    }
    case 'pin':
      if (typeof fields.pinned !== 'boolean') {
        return { ok: false, message: 'Pinning needs "pinned": true (pin to the digest) or false (unpin).' };
      }
      return { ok: true, value: { kind: 'pin', pinned: fields.pinned } };
  }
}

/** A story id from a URL segment: a positive whole number. */
export function parseStoryId(raw: string): Parsed<number> {
  if (!/^[1-9]\d{0,14}$/.test(raw)) {
    return { ok: false, message: `Story ids are positive whole numbers; got "${raw.slice(0, 40)}".` };
  }
  return { ok: true, value: Number(raw) };
}

/** One sentence saying what happened and whether subscribers now see the story. */
export function describeOutcome(action: EditorAction, story: Story): string {
  const subject = `#${story.id}`;
  const visibility = story.published ? `published in the ${story.label} feed` : 'not in the public feeds';
  switch (action.kind) {
    case 'approve':
      return `Approved ${subject}: ${visibility}.`;
    case 'reject':
      return `Rejected ${subject}: ${visibility}.`;
    case 'relabel':
      return `Relabelled ${subject} as ${action.label}: ${visibility}.`;
    case 'pin':
      return action.pinned ? `Pinned ${subject} to the digest.` : `Unpinned ${subject} from the digest.`;
  }
}
