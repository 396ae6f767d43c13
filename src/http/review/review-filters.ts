/**
 * The review queue's filters and paging, parsed from GET query parameters. Shared by the page
 * (page/perPage) and the JSON API (limit/offset) so both accept exactly the same filters.
 */
import { LABELS, isLabel, type Label, type ReviewStatus } from '../../model';
import type { ReviewQueueQuery } from '../../store/stories-repository';

export const STATUS_FILTERS = ['pending', 'approved', 'rejected', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface StoryFilters {
  status: StatusFilter;
  label: Label | null;
  minConfidence: number | null;
  maxConfidence: number | null;
}

export interface Paging {
  limit: number;
  offset: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
export const DEFAULT_API_LIMIT = 50;
export const MAX_API_LIMIT = 200;
/** Deeper paging is never useful for a review queue and would make SQLite skip huge offsets. */
export const MAX_OFFSET = 100_000;

type Query = Record<string, unknown>;

/** A single query value; "" counts as not given (an untouched form field). Arrays are an error. */
function single(query: Query, name: string): Parsed<string | undefined> {
  const raw = query[name];
  if (raw === undefined) return { ok: true, value: undefined };
  if (typeof raw !== 'string') return { ok: false, message: `Give "${name}" at most once.` };
  const value = raw.trim();
  return { ok: true, value: value === '' ? undefined : value };
}

function confidence(query: Query, name: string): Parsed<number | null> {
  const raw = single(query, name);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return { ok: true, value: null };
  const value = /^(0|1|0?\.\d{1,6}|1\.0{1,6})$/.test(raw.value) ? Number(raw.value) : Number.NaN;
  if (Number.isNaN(value)) {
    return { ok: false, message: `"${name}" must be a number from 0 to 1, like 0.6; got "${raw.value.slice(0, 40)}".` };
  }
  return { ok: true, value };
}

function wholeNumber(query: Query, name: string, fallback: number, min: number, max: number): Parsed<number> {
  const raw = single(query, name);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return { ok: true, value: fallback };
  if (!/^\d{1,7}$/.test(raw.value) || Number(raw.value) < min || Number(raw.value) > max) {
    return { ok: false, message: `"${name}" must be a whole number from ${min} to ${max}; got "${raw.value.slice(0, 40)}".` };
  }
  return { ok: true, value: Number(raw.value) };
}

export function parseStoryFilters(query: Query, defaultStatus: StatusFilter): Parsed<StoryFilters> {
  const status = single(query, 'status');
  if (!status.ok) return status;
  const statusValue = status.value ?? defaultStatus;
  if (!(STATUS_FILTERS as readonly string[]).includes(statusValue)) {
    return { ok: false, message: `Unknown status "${statusValue.slice(0, 40)}". Use one of: ${STATUS_FILTERS.join(', ')}.` };
  }
  const label = single(query, 'label');
  if (!label.ok) return label;
  const labelValue = label.value === 'any' ? undefined : label.value;
  if (labelValue !== undefined && !isLabel(labelValue)) {
    return { ok: false, message: `Unknown label "${labelValue.slice(0, 40)}". Use one of: ${LABELS.join(', ')} (or leave it out for any).` };
  }
  const min = confidence(query, 'minConfidence');
  if (!min.ok) return min;
  const max = confidence(query, 'maxConfidence');
  if (!max.ok) return max;
  if (min.value !== null && max.value !== null && min.value > max.value) {
    return { ok: false, message: `"minConfidence" (${min.value}) is above "maxConfidence" (${max.value}); nothing could match.` };
  }
  return {
    ok: true,
    value: {
      status: statusValue as StatusFilter,
      label: labelValue ?? null,
      minConfidence: min.value,
      maxConfidence: max.value,
    },
  };
}

/** The page's paging: `page` (from 1) and `perPage`. */
export function parsePagePaging(query: Query): Parsed<{ page: number; perPage: number }> {
  const perPage = wholeNumber(query, 'perPage', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  if (!perPage.ok) return perPage;
  const page = wholeNumber(query, 'page', 1, 1, Math.floor(MAX_OFFSET / perPage.value) + 1);
  if (!page.ok) return page;
  return { ok: true, value: { page: page.value, perPage: perPage.value } };
}

/** The API's paging: `limit` and `offset`. */
export function parseApiPaging(query: Query): Parsed<Paging> {
  const limit = wholeNumber(query, 'limit', DEFAULT_API_LIMIT, 1, MAX_API_LIMIT);
  if (!limit.ok) return limit;
  const offset = wholeNumber(query, 'offset', 0, 0, MAX_OFFSET);
  if (!offset.ok) return offset;
  return { ok: true, value: { limit: limit.value, offset: offset.value } };
}

/** The repository query; asks for one extra row so callers know whether a next page exists. */
export function toQueueQuery(filters: StoryFilters, paging: Paging): ReviewQueueQuery {
  return {
    status: filters.status === 'all' ? undefined : (filters.status as ReviewStatus),
    label: filters.label ?? undefined,
    minConfidence: filters.minConfidence ?? undefined,
    maxConfidence: filters.maxConfidence ?? undefined,
    limit: paging.limit + 1,
    offset: paging.offset,
  };
}

/** Query parameters that reproduce the filters (defaults left out, so URLs stay short). */
export function filterParams(filters: StoryFilters, defaultStatus: StatusFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== defaultStatus) params.set('status', filters.status);
  if (filters.label !== null) params.set('label', filters.label);
  if (filters.minConfidence !== null) params.set('minConfidence', String(filters.minConfidence));
  if (filters.maxConfidence !== null) params.set('maxConfidence', String(filters.maxConfidence));
  return params;
}

/** Whether a story still belongs in a queue filtered this way (status and label can change by a decision). */
export function storyMatchesFilters(story: { status: ReviewStatus; label: Label }, filters: StoryFilters): boolean {
  return (filters.status === 'all' || story.status === filters.status) && (filters.label === null || story.label === filters.label);
}
