// Tags on services, load balancers and endpoints: key 1–128 characters, value 0–256, no `aws:` prefix
// (reserved), no key twice in one request, at most 50 per resource.
import { DomainError, invalid } from './errors';

export interface Tag {
  key: string;
  value: string;
}

export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** Length in characters (code points), not UTF-16 units. */
const charLength = (s: string): number => Array.from(s).length;

function validateTagKey(key: unknown, field: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw invalid(field, `${field}: a tag key is required (1 to ${MAX_TAG_KEY_LENGTH} characters)`);
  if (charLength(key) > MAX_TAG_KEY_LENGTH) {
    throw invalid(field, `${field}: tag key is ${charLength(key)} characters long; at most ${MAX_TAG_KEY_LENGTH} are allowed`);
  }
  if (key.toLowerCase().startsWith('aws:')) throw invalid(field, `${field}: tag keys starting with 'aws:' are reserved`);
  return key;
}

/** Validates tags of one request: each key and value, no key twice, and at most 50 in the request. */
export function validateTags(tags: unknown, field = 'tags'): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalid(field, `${field}: expected a list of {key, value}`);
  const seen = new Set<string>();
  const result = tags.map((tag: unknown, i): Tag => {
    const at = `${field}[${i}]`;
    if (typeof tag !== 'object' || tag === null) throw invalid(at, `${at}: expected {key, value}`);
    const { key, value } = tag as Record<string, unknown>;
    const k = validateTagKey(key, `${at}.key`);
    const v = value === undefined ? '' : value;
    if (typeof v !== 'string') throw invalid(`${at}.value`, `${at}.value: a tag value must be a string`);
    if (charLength(v) > MAX_TAG_VALUE_LENGTH) {
      throw invalid(
        `${at}.value`,
        `${at}.value: tag value is ${charLength(v)} characters long; at most ${MAX_TAG_VALUE_LENGTH} are allowed`,
      );
    }
    if (seen.has(k)) throw invalid(`${at}.key`, `${at}.key: tag key '${k}' appears twice in the request`);
    seen.add(k);
    return { key: k, value: v };
  });
  if (result.length > MAX_TAGS_PER_RESOURCE) {
    throw new DomainError(
      'TagLimitExceeded',
      `${field}: ${result.length} tags given; a resource can have at most ${MAX_TAGS_PER_RESOURCE}`,
      field,
    );
  }
  return result;
}

/** Validates tag keys to delete (same key rules; duplicates are harmless and collapsed). */
export function validateTagKeys(keys: unknown, field = 'tagKeys'): string[] {
  if (!Array.isArray(keys)) throw invalid(field, `${field}: expected a list of tag keys`);
  return [...new Set(keys.map((key: unknown, i) => validateTagKey(key, `${field}[${i}]`)))];
}

/**
 * The tags after a change: `removeKeys` removed, then `add` applied (an existing key takes the new
 * value, as EC2's CreateTags overwrites). Refused with TagLimitExceeded when more than 50 would remain.
 * Order: existing tags keep their place, new keys are appended.
 */
export function applyTagChanges(existing: Tag[], add: Tag[], removeKeys: string[] = [], field = 'tags'): Tag[] {
  const validAdd = validateTags(add, field);
  const remove = new Set(removeKeys);
  const next = existing.filter((t) => !remove.has(t.key)).map((t) => ({ ...t }));
  for (const tag of validAdd) {
    const current = next.find((t) => t.key === tag.key);
    if (current) current.value = tag.value;
    else next.push({ ...tag });
  }
  if (next.length > MAX_TAGS_PER_RESOURCE) {
    throw new DomainError(
      'TagLimitExceeded',
      `${field}: the resource would have ${next.length} tags; at most ${MAX_TAGS_PER_RESOURCE} are allowed per resource`,
      field,
    );
  }
  return next;
}

export function sameTags(a: Tag[], b: Tag[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i].key && t.value === b[i].value);
}

/** The tag commands of a taggable resource (the network inventory's also name the caller's account). */
export type TagCommand = { type: 'createTags'; tags: Tag[] } | { type: 'deleteTags'; tagKeys: string[] };

/** A resource's tags after a createTags or deleteTags command, or null when it changes nothing (no event). */
export function retag(current: Tag[], command: TagCommand): Tag[] | null {
  const tags =
    command.type === 'createTags'
      ? applyTagChanges(current, validateTags(command.tags, 'tags'), [], 'tags')
      : applyTagChanges(current, [], validateTagKeys(command.tagKeys, 'tagKeys'), 'tags');
  return sameTags(tags, current) ? null : tags;
}

/** A copy of an event's tags for the state (a state never shares an event's objects). */
export function copyTags(tags: Tag[]): Tag[] {
  return tags.map((t) => ({ ...t }));
}

/** evolve of a tags-changed event: the state with a copy of the event's tags. */
export function withTags<S extends { tags: Tag[] }>(state: S | null, tags: Tag[]): S | null {
  return state && { ...state, tags: copyTags(tags) };
}
