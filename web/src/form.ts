/**
 * "Leave a Reply": the comment form. Checks run in the browser first (with the deployment's
 * limits); whatever the server still refuses is shown next to the field it names.
 */
import {
  type Api,
  ApiError,
  type Comment,
  type Created,
  type FieldError,
  type Limits,
  type NewComment,
} from './api';
import { h, uniqueId } from './dom';
import { saveAuthor, savedAuthor } from './storage';
import { strings } from './strings';
import { checkComment } from './validate';

type FieldName = 'name' | 'email' | 'website' | 'body';

interface Field {
  input: HTMLInputElement | HTMLTextAreaElement;
  error: HTMLElement;
  label: string;
}

export interface ReplyForm {
  element: HTMLElement;
  replyTo(comment: Comment): void;
}

export function replyForm(
  api: Api,
  article: string,
  limits: Limits,
  onPosted: (created: Created) => void,
): ReplyForm {
  let parent: Comment | null = null;
  const fields = {} as Record<FieldName, Field>;

  const field = (name: FieldName, label: string, required: boolean, input: Field['input']) => {
    const id = uniqueId(name);
    const error = h('span', { class: 'error', id: `${id}-error`, hidden: true });
    input.id = id;
    input.name = name;
    if (required) input.setAttribute('aria-required', 'true');
    fields[name] = { input, error, label };
    return h(
      'p',
      { class: `field field-${name}` },
      h(
        'label',
        { for: id },
        label,
        required && h('span', { class: 'required', 'aria-hidden': 'true' }, ` ${strings.required}`),
      ),
      input,
      error,
    );
  };

  const headingId = uniqueId('reply');
  const status = h('p', { class: 'status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'submit' }, strings.post);
  const save = h('input', { type: 'checkbox', id: uniqueId('save') });
  const cancel = h(
    'button',
    { type: 'button', class: 'link', onclick: () => setParent(null) },
    strings.cancel,
  );
  const replying = h('p', { class: 'replying', hidden: true });
  // The honeypot: off-screen, out of the tab order and hidden from assistive technology, so only
  // a robot filling in every field puts anything in it.
  const trap = h('input', {
    type: 'text',
    name: 'homepage',
    id: uniqueId('homepage'),
    tabindex: '-1',
    autocomplete: 'off',
  });

  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': headingId, onsubmit: (event) => send(event) },
    replying,
    field('name', strings.name, true, h('input', { type: 'text', autocomplete: 'name' })),
    field('email', strings.email, true, h('input', { type: 'email', autocomplete: 'email' })),
    field('website', strings.website, false, h('input', { type: 'url', autocomplete: 'url' })),
    h(
      'p',
      { class: 'hp', 'aria-hidden': 'true' },
      h('label', { for: trap.id }, strings.honeypot),
      trap,
    ),
    field('body', strings.comment, true, h('textarea', { rows: '6' })),
    h('p', { class: 'save' }, save, h('label', { for: save.id }, strings.saveDetails)),
    h('p', { class: 'actions' }, submit),
    status,
  );

  const fill = () => {
    const saved = savedAuthor();
    save.checked = saved !== null;
    fields.name.input.value = saved?.name ?? '';
    fields.email.input.value = saved?.email ?? '';
    fields.website.input.value = saved?.website ?? '';
  };

  const setParent = (comment: Comment | null) => {
    const from = parent;
    parent = comment;
    replying.hidden = comment === null;
    if (comment) {
      replying.replaceChildren(strings.replyingTo(comment.author.name), ' · ', cancel);
      fields.body.input.focus();
    } else if (from) {
      // Back to where the reader was: the Reply button of that comment, when it is on show.
      const root = form.getRootNode() as ShadowRoot | Document;
      root.getElementById?.(`talkback-reply-${from.id}`)?.focus();
    }
  };

  const showErrors = (errors: FieldError[]) => {
    for (const [name, { input, error }] of Object.entries(fields)) {
      const problem = errors.find((e) => e.field === name);
      error.hidden = !problem;
      error.textContent = problem
        ? strings.fieldError(fields[name as FieldName].label, problem.message)
        : '';
      if (problem) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', error.id);
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }
    const first = (Object.keys(fields) as FieldName[]).find((name) =>
      errors.some((e) => e.field === name),
    );
    if (first) fields[first].input.focus();
    return first !== undefined;
  };

  const send = async (event: Event) => {
    event.preventDefault();
    const value = (name: FieldName) => fields[name].input.value.trim();
    const comment: NewComment = { name: value('name'), email: value('email'), body: value('body') };
    if (value('website')) comment.website = value('website');
    if (parent) comment.parentId = parent.id;
    comment.homepage = trap.value;
    const invalid = checkComment(comment, limits);
    if (showErrors(invalid)) {
      status.textContent = strings.fixFields;
      return;
    }
    submit.disabled = true;
    status.textContent = strings.posting;
    try {
      const created = await api.post(article, comment);
      saveAuthor(
        save.checked
          ? { name: comment.name, email: comment.email, website: comment.website ?? '' }
          : null,
      );
      form.reset();
      fill();
      setParent(null);
      status.textContent = created.status === 'pending' ? strings.postedPending : strings.posted;
      onPosted(created);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, '', []);
      if (showErrors(problem.errors)) status.textContent = strings.fixFields;
      else if (
        parent &&
        (problem.status === 404 || problem.errors.some((e) => e.field === 'parentId'))
      ) {
        status.textContent = strings.parentGone;
      } else if (problem.status === 429) {
        status.textContent = strings.commentingTooFast(problem.retryAfter);
      } else status.textContent = problem.detail || strings.failed;
    } finally {
      submit.disabled = false;
    }
  };

  fill();
  return {
    element: h(
      'section',
      { class: 'reply', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, strings.formHeading),
      h('p', { class: 'note' }, strings.formNote),
      form,
    ),
    replyTo: setParent,
  };
}
