/**
 * "Leave a Reply": the comment form. Checks run in the browser first (with the deployment's
 * limits); whatever the server still refuses is shown next to the field it names. A signed-in
 * reader (a token from the site, docs/readers.md) comments as themselves: "Commenting as <name>"
 * instead of the name and email fields, the token in the body. Where the thread wants a
 * signed-in reader (or a badge) the widget has not got, a link to the site's sign-in stands in
 * the form's place.
 */
import type { Api, Comment, Created, Limits, NewComment, Thread } from '../shared/api';
import { postComment } from './api-writes';
import { ApiError, h, uniqueId } from './core';
import { type FormFields, formFields } from './form-fields';
import { formStrings } from './form-strings';
import { mayComment, type ReaderClaims, readerClaims, signInLink } from './reader';
import { saveAuthor, savedAuthor } from './saved-author';
import { checkComment, overBy } from './validate';

export interface ReplyForm {
  element: HTMLElement;
  replyTo(comment: Comment): void;
  /** Shows the form for the reader `token` names (a guest without one). */
  reader_(token?: string): void;
}

export function replyForm(
  api: Api,
  article: string,
  thread: Thread,
  onPosted: (created: Created) => void,
  initialToken?: string,
): ReplyForm {
  const { limits } = thread;
  let parent: Comment | null = null;
  let token: string | undefined;
  let reader: ReaderClaims | null = null;
  const headingId = uniqueId('reply');
  const parts = formParts(
    headingId,
    limits,
    () => setParent(null),
    (event) => send(event),
  );
  const { form, fields, status, submit, save, replying_: replying, cancel } = parts;
  const note = h('p', { class: 'note' }, formStrings().formNote);
  const gate = h('p', { class: 'sign-in' });

  const setReader = (next?: string) => {
    reader = readerClaims(next);
    // A token the widget cannot read is no sign-in: the reader comments as a guest.
    token = reader ? next : undefined;
    for (const guestOnly of parts.guest_) guestOnly.hidden = reader !== null;
    // The token's email gets reply mail; without one there is nowhere to send it.
    parts.notifyBox_.hidden = reader !== null && !reader.email_;
    parts.as_.hidden = reader === null;
    parts.as_.replaceChildren(
      ...(reader ? formStrings().commentingAs(h('bdi', {}, reader.name)) : []),
    );
    const allowed = mayComment(thread.commenting, reader);
    gate.hidden = allowed;
    note.hidden = form.hidden = !allowed;
    if (!allowed) gate.replaceChildren(...signIn(thread));
  };

  const setParent = (comment: Comment | null) => {
    if (!gate.hidden) {
      gate.querySelector('a')?.focus();
      return;
    }
    const from = parent;
    parent = comment;
    replying.hidden = comment === null;
    if (comment) {
      // <bdi>: right-to-left text or bidi controls in the name cannot reorder the line around it.
      const name = h('bdi', {}, comment.author.name);
      replying.replaceChildren(...formStrings().replyingTo(name), ' · ', cancel);
      fields.input('body').focus();
    } else if (from) {
      // Back to where the reader was: the Reply button of that comment, when it is on show.
      const root = form.getRootNode() as ShadowRoot | Document;
      root.getElementById?.(`talkback-reply-${from.id}`)?.focus();
    }
  };

  const send = async (event: Event) => {
    event.preventDefault();
    const comment = newComment(fields, parent, parts.trap.value, token);
    if (parts.notify.checked) comment.notify = true;
    if (fields.showErrors_(checkComment(comment, limits))) {
      status.textContent = formStrings().fixFields;
      return;
    }
    submit.disabled = true;
    status.textContent = formStrings().posting;
    try {
      const created = await postComment(api, article, comment);
      // A signed-in reader's details are the site's to keep.
      if (!token) {
        saveAuthor(
          save.checked
            ? {
                name: comment.name ?? '',
                email: comment.email ?? '',
                website: comment.website ?? '',
              }
            : null,
        );
      }
      form.reset();
      fill(parts);
      setParent(null);
      status.textContent =
        created.status === 'pending' ? formStrings().postedPending : formStrings().posted;
      onPosted(created);
    } catch (error) {
      // The disabled button lost focus to the page: back to it, or to the first field to fix.
      submit.disabled = false;
      submit.focus();
      status.textContent = failure(error, fields, parent);
    } finally {
      submit.disabled = false;
    }
  };

  fill(parts);
  setReader(initialToken);
  return {
    element: h(
      'section',
      { class: 'reply', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, formStrings().formHeading),
      gate,
      note,
      form,
    ),
    replyTo: setParent,
    reader_: setReader,
  };
}

/**
 * What stands in the form's place for a reader the thread's mode keeps out: "Sign in to
 * comment", or for a badge "Subscribers can comment: subscribe", linking to the site's sign-in
 * (which brings the reader back to this article's comments). Without a sign-in page, the text.
 */
function signIn(thread: Thread): (Node | string)[] {
  const badge = thread.commenting?.startsWith('badge:');
  const text = badge ? formStrings().subscribe : formStrings().signInToComment;
  const link = thread.signInUrl
    ? h('a', { href: signInLink(thread.signInUrl, location.href) }, text)
    : h('span', {}, text);
  return badge ? formStrings().subscribersOnly(link) : [link];
}

/** The form and the elements the reply form changes as the reader uses it. */
function formParts(
  headingId: string,
  limits: Limits,
  cancelReply: () => void,
  send: (event: Event) => void,
) {
  const fields = formFields();
  const status = h('p', { class: 'status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'submit' }, formStrings().post);
  const save = h('input', { type: 'checkbox', id: uniqueId('save') });
  // Off by default: a reader opts in to reply mail, and confirms the address once by mail.
  const notifyNote = uniqueId('notify-note');
  const notify = h('input', {
    type: 'checkbox',
    id: uniqueId('notify'),
    'aria-describedby': notifyNote,
  });
  const cancel = h(
    'button',
    { type: 'button', class: 'link', onclick: cancelReply },
    formStrings().cancel,
  );
  const replying = h('p', { class: 'replying', hidden: true });
  const as = h('p', { class: 'signed-in', hidden: true });
  // The honeypot: off-screen, out of the tab order and hidden from assistive technology, so only
  // a robot filling in every field puts anything in it.
  const trap = h('input', {
    type: 'text',
    name: 'homepage',
    id: uniqueId('homepage'),
    tabindex: '-1',
    autocomplete: 'off',
  });
  const guest = [
    fields.field(
      'name',
      formStrings().name,
      true,
      // Names and comments take their direction from their own text, as they will when shown.
      h('input', { type: 'text', autocomplete: 'name', dir: 'auto' }),
    ),
    fields.field(
      'email',
      formStrings().email,
      true,
      h('input', { type: 'email', autocomplete: 'email' }),
    ),
    h('p', { class: 'save' }, save, h('label', { for: save.id }, formStrings().saveDetails)),
  ];
  const notifyBox = h(
    'p',
    { class: 'save' },
    notify,
    h(
      'span',
      {},
      h('label', { for: notify.id }, formStrings().notifyReplies),
      h('span', { class: 'note', id: notifyNote }, formStrings().notifyNote),
    ),
  );
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': headingId, onsubmit: send },
    replying,
    as,
    guest[0],
    guest[1],
    fields.field(
      'website',
      formStrings().website,
      false,
      h('input', { type: 'url', autocomplete: 'url' }),
    ),
    h(
      'p',
      { class: 'hp', 'aria-hidden': 'true' },
      h('label', { for: trap.id }, formStrings().honeypot),
      trap,
    ),
    fields.field(
      'body',
      formStrings().comment,
      true,
      h('textarea', {
        rows: '6',
        dir: 'auto',
        oninput: (event) => hint(event.target as HTMLTextAreaElement),
      }),
    ),
    guest[2],
    notifyBox,
    h('p', { class: 'actions' }, submit),
    status,
  );
  // While typing: past what can be sent, the field says how much to cut (checked again on Post).
  function hint(text: HTMLTextAreaElement) {
    const cut = overBy(text.value.trim(), newComment(fields, null, ''), limits.requestBodyMaxBytes);
    fields.hint_('body', cut > 0 ? formStrings().tooLarge(cut) : null);
  }
  return {
    form,
    fields,
    status,
    submit,
    save,
    notify,
    cancel,
    replying_: replying,
    trap,
    /** The name and email fields and the save box: a guest's only. */
    guest_: guest,
    notifyBox_: notifyBox,
    as_: as,
  };
}

/** The name, email and website this browser saved, if the visitor asked it to. */
function fill({ fields, save }: { fields: FormFields; save: HTMLInputElement }) {
  const saved = savedAuthor();
  save.checked = saved !== null;
  fields.input('name').value = saved?.name ?? '';
  fields.input('email').value = saved?.email ?? '';
  fields.input('website').value = saved?.website ?? '';
}

/** The comment to send: a signed-in reader's carries the token, a guest's their name and email. */
function newComment(
  fields: FormFields,
  parent: Comment | null,
  homepage: string,
  reader?: string,
): NewComment {
  const comment: NewComment = reader
    ? { reader, body: fields.value('body') }
    : { name: fields.value('name'), email: fields.value('email'), body: fields.value('body') };
  if (fields.value('website')) comment.website = fields.value('website');
  if (parent) comment.parentId = parent.id;
  comment.homepage = homepage;
  return comment;
}

/** What the status line says when a post fails (after marking any fields the server named). */
function failure(error: unknown, fields: FormFields, parent: Comment | null): string {
  const problem = error instanceof ApiError ? error : new ApiError(0, '', []);
  if (fields.showErrors_(problem.errors)) return formStrings().fixFields;
  if (problem.status === 401 && problem.errors.some((e) => e.field === 'reader')) {
    return formStrings().signInAgain;
  }
  if (parent && (problem.status === 404 || problem.errors.some((e) => e.field === 'parentId'))) {
    return formStrings().parentGone;
  }
  if (problem.status === 429) return formStrings().commentingTooFast(problem.retryAfter);
  return problem.detail || formStrings().failed;
}
