/** What the comment list's modules share: its entries, its state and how to show a change. */
import type { Api, Comment, Config, Order } from '../shared/api';
import type { ListPanel } from './list-panel';
import type { OwnComments } from './own-comments';

/** A comment in the thread: from the public list, or the author's own copy awaiting moderation. */
export interface Listed {
  comment: Comment;
  pending: boolean;
  /** This browser's own copy (posted or edited here), not the thread's. */
  copy_?: true;
}

/** What an own comment shows besides itself: its editor, a delete question, a message. */
export interface OwnUi {
  mode?: 'edit' | 'confirm';
  draft_?: string;
  error?: string;
  notice_?: string;
}

export interface ListState {
  /** The article's published comments, as the API last counted them. */
  count: number;
  cursor: string | null;
  order: Order;
  open: boolean;
  listed_: Listed[];
  /** The author's comments awaiting moderation: in no public list, kept in this browser only. */
  pending: Listed[];
  /** The comment a permalink points at (#comment-<id>), highlighted. */
  target?: string;
}

export interface ListContext {
  api: Api;
  article: string;
  config: Config;
  state: ListState;
  /** This browser's own comments on the article, once it has any (in the write chunk). */
  own_?: OwnComments;
  ui: Map<string, OwnUi>;
  panel: ListPanel;
  /** Draws the thread again from `state`, then focuses the element `focus` names. */
  render_(focus?: string): void;
  /** Shows `ui` for comment `id` and draws the thread again. */
  change_(id: string, ui: OwnUi, focus?: string): void;
}
