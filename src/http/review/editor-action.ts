/**
 * Turns a request (action name from the path + fields from the body) into an EditorAction,
 * with a message a person can act on when the input is wrong.
 */
import { LABELS, isLabel, type EditorAction, type Story } from '../../model';
import { MAX_EDITED_SUMMARY, MAX_EDITED_TITLE } from '../../store/story-edits';
import type { Parsed } from './review-filters';

/** The body fields an action reads (JSON, or the review page's form). */
export interface ActionFields {
  label?: unknown;
  pinned?: unknown;
  /** merge: the story to merge into. */
  into?: unknown;
  /** split: the report (item id) to take out. */
  item?: unknown;
  title?: unknown;
  summary?: unknown;
}

function positiveId(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : null;
}

/** Editor wording is plain text: control characters go, whitespace runs become one space. */
function plainText(value: unknown, max: number, name: string): Parsed<string | undefined> {
  if (value === undefined || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, message: `"${name}" must be text.` };
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return { ok: false, message: `"${name}" cannot be blank.` };
  if (text.length > max) return { ok: false, message: `"${name}" is ${text.length} characters; at most ${max}.` };
  return { ok: true, value: text };
}

export const ACTION_NAMES = ['approve', 'reject', 'relabel', 'pin', 'merge', 'split', 'edit'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export function isActionName(value: string): value is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(value);
}

/** `fields.pinned` must already be a boolean (the page converts its "true"/"false" form values). */
export function parseEditorAction(name: ActionName, fields: ActionFields): Parsed<EditorAction> {
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
    case 'merge': {
      const into = positiveId(fields.into);
      if (into === null) return { ok: false, message: 'Merging needs "into": the id of the story to merge this one into.' };
      return { ok: true, value: { kind: 'merge', intoStoryId: into } };
    }
    case 'split': {
      const item = positiveId(fields.item);
      if (item === null) return { ok: false, message: 'Splitting needs "item": the id of the report to take out of this story.' };
      return { ok: true, value: { kind: 'split', itemId: item } };
    }
    case 'edit': {
      const title = plainText(fields.title, MAX_EDITED_TITLE, 'title');
      if (!title.ok) return title;
      const summary = plainText(fields.summary, MAX_EDITED_SUMMARY, 'summary');
      if (!summary.ok) return summary;
      if (title.value === undefined && summary.value === undefined) {
        return { ok: false, message: 'Editing needs a "title", a "summary" or both.' };
      }
      return {
        ok: true,
        value: { kind: 'edit', ...(title.value !== undefined ? { title: title.value } : {}), ...(summary.value !== undefined ? { summary: summary.value } : {}) },
      };
    }
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
    case 'merge':
      return `Merged into ${subject}, now covered by ${story.outlets.length} outlet${story.outlets.length === 1 ? '' : 's'}: ${visibility}.`;
    case 'split':
      return `Split report ${action.itemId} out into ${subject}: ${visibility}.`;
    case 'edit':
      return `Saved the site's wording for ${subject}: ${visibility}.`;
  }
}
