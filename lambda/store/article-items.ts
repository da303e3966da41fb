/**
 * An article's own settings on its two stats items (lambda/domain/article-settings.ts): how they
 * are read from an item and how a change is written to both.
 */
import type { ArticleSettings, StoredArticleChange } from '../domain/article-settings';
import type { CommentingMode } from '../domain/reader-settings';
import type { ModerationPolicy } from '../domain/settings';

type Item = Record<string, unknown>;

const POLICIES: readonly string[] = ['none', 'first-time', 'all'];

/** Attributes of the settings; `firstCommentAt` is written by the count updates. */
export const ARTICLE_SETTING_ATTRIBUTES = [
  'closed',
  'closeAt',
  'keepOpen',
  'moderation',
  'commenting',
  'firstCommentAt',
] as const;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The settings an item holds; an absent item (or attribute) has none. */
export function settingsOf(item: Item | undefined): ArticleSettings {
  const settings: ArticleSettings = { closed: item?.closed === true };
  const closeAt = text(item?.closeAt);
  if (closeAt !== undefined) settings.closeAt = closeAt;
  if (item?.keepOpen === true) settings.keepOpen = true;
  const moderation = text(item?.moderation);
  if (moderation !== undefined && POLICIES.includes(moderation)) {
    settings.moderation = moderation as ModerationPolicy;
  }
  const commenting = text(item?.commenting);
  if (commenting !== undefined) settings.commenting = commenting as CommentingMode;
  const firstCommentAt = text(item?.firstCommentAt);
  if (firstCommentAt !== undefined) settings.firstCommentAt = firstCommentAt;
  return settings;
}

/** The UpdateExpression and its names and values for a change of an article's settings. */
export function settingsUpdate(change: StoredArticleChange): {
  set: string[];
  remove: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    names[`#${name}`] = name;
    if (value === null || value === false) {
      remove.push(`#${name}`);
    } else {
      values[`:${name}`] = value;
      set.push(`#${name} = :${name}`);
    }
  };
  if (change.closed !== undefined) put('closed', change.closed);
  if (change.closeAt !== undefined) put('closeAt', change.closeAt);
  if (change.keepOpen !== undefined) put('keepOpen', change.keepOpen);
  if (change.moderation !== undefined) put('moderation', change.moderation);
  if (change.commenting !== undefined) put('commenting', change.commenting);
  return { set, remove, names, values };
}
