/**
 * The console's one state object: who is signed in, which queue is shown, the rows loaded, the
 * cursor and the selection, and the decisions still inside their undo window. Every module reads
 * and changes this, and nothing else is kept between events.
 */

import type { CommenterView } from '../shared/admin-api';
import { type Auth, createApi } from './api';
import type { CognitoConfig } from './cognito';
import type { AdminComment, RowActions, Status } from './queue';

export type Config = {
  /** Where the API is: on AWS and locally, the page's own origin ('/'). */
  apiUrl: string;
  /** On AWS: the host the requests are signed for, API Gateway's, to which the CDN sends them. */
  signedHost?: string;
  /**
   * How long a decision can be undone: the deployment's one undo window, which the server's
   * delayed mail waits out too (docs/moderation.md). config.json carries it (as a string on
   * AWS, where the stack's config values are strings).
   */
  undoSeconds?: number;
} & ({ auth: 'token' } | ({ auth: 'cognito' } & CognitoConfig));

export interface Undoable {
  label: string;
  /** An error stays until dismissed; other notices go when their undo window ends. */
  error?: true;
  /** Absent for a notice that cannot be undone. */
  undo?: () => Promise<void> | void;
  /** What its Undo button undoes, in its name: `approving the comment by Reader (“…”)`. */
  undoes?: string;
  /** Runs when the undo window passes, or at once if the page goes away. */
  commit?: () => void;
}

export interface UndoRecord {
  entry: Undoable;
  timer: number;
  toast: HTMLElement;
  /** The toast's words, which a decision changes once its answer comes. */
  text: HTMLElement;
}

export interface ConsoleState {
  /** From config.json, read once at start. */
  config: Config;
  auth: Auth | undefined;
  /** The tab shown: a status, or with `reported` the Reported tab (held comments with open reports). */
  status: Status;
  /** The Reported tab: the pending comments with open reports. */
  reported: boolean;
  /** The article filter, when there is one. */
  articleId: string | undefined;
  /** The API refused the filter: nothing is shown, and the queue must not read as empty. */
  refusedFilter: boolean;
  comments: AdminComment[];
  nextCursor: string | null;
  /** The cursor: an index into the rows shown. */
  current: number;
  selected: Set<string>;
  /** Comments whose delete waits out its undo window: hidden, not yet gone. */
  deferred: Set<string>;
  /** Comments whose decision is on its way: hidden, and put back if the API refuses it. */
  deciding: Set<string>;
  undoables: UndoRecord[];
  /** The commenter's record shown (commenter.ts), with the name it was opened by. */
  commenter: { view: CommenterView; name: string } | undefined;
  /** What signing in leads to: the queue (main.ts says so, to keep sign-in apart from it). */
  afterSignIn: () => void;
  /** What a row's buttons do (main.ts gives decisions.ts's, to keep the view apart from it). */
  rowActions: RowActions;
}

export const state: ConsoleState = {
  config: { apiUrl: '/', auth: 'token' },
  auth: undefined,
  status: 'pending',
  reported: false,
  articleId: undefined,
  refusedFilter: false,
  comments: [],
  nextCursor: null,
  current: 0,
  selected: new Set(),
  deferred: new Set(),
  deciding: new Set(),
  undoables: [],
  commenter: undefined,
  afterSignIn: () => {},
  rowActions: {
    decide: () => {},
    remove: () => {},
    pin: () => {},
    feature: () => {},
    reply: () => {},
    toggle: () => {},
    commenter: () => {},
  },
};

export const call = (method: string, path: string, body?: unknown, keepalive = false) =>
  createApi(state.config, () => {
    if (!state.auth) throw new Error('signed out');
    return state.auth;
  })(method, path, body, keepalive);

export const plural = (n: number) => `${n} comment${n === 1 ? '' : 's'}`;
