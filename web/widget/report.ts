/**
 * Report: the short form a comment's Report button opens under it (a chunk of its own, loaded on
 * that first press). A reason from the API's list; for `illegal`, a notice of illegal content
 * (EU Digital Services Act, Art. 16), an explanation and a good-faith statement, and an optional
 * email to be told of the decision. The API checks every field: a 400 marks the fields it names
 * and lists them, a 429 says how long to wait, and a report received says the moderators will
 * look at it. Escape or Cancel closes the form and focus goes back to Report.
 */
import type { Comment, FieldError } from '../shared/api';
import { ApiError, h, uniqueId, visitorId } from './core';
import { REASONS, reportStrings } from './report-strings';
import type { ListContext } from './thread-state';

export type ReportForms = ReturnType<typeof reportForms>;

/** The open forms by comment id: kept while the thread is drawn again, with what was typed. */
export function reportForms(list: ListContext) {
  const forms = new Map<string, HTMLElement>();
  return {
    /** Opens a fresh form under comment `id`, focused on its first reason. */
    open_(id: string) {
      forms.delete(id);
      list.change_(id, { mode: 'report' }, `talkback-reason-${id}`);
    },
    form_(comment: Comment): HTMLElement {
      let form = forms.get(comment.id);
      if (!form) {
        form = reportForm(list, comment.id, () => {
          forms.delete(comment.id);
          list.change_(comment.id, {}, `talkback-report-${comment.id}`);
        });
        forms.set(comment.id, form);
      }
      return form;
    },
  };
}

function reportForm(list: ListContext, id: string, close: () => void): HTMLElement {
  const text = reportStrings();
  const field = uniqueId('report');
  const heading = `${field}-heading`;
  const reasons = REASONS.map((reason, index) =>
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: field,
        value: reason,
        id: index === 0 ? `talkback-reason-${id}` : undefined,
        onchange: () => showIllegal(reason === 'illegal'),
      }),
      ` ${text.reason_(reason)}`,
    ),
  );
  const reasonSet = h('fieldset', {}, h('legend', {}, text.reportReason), ...reasons);
  const explanationLabel = h('label', { for: `${field}-explanation` }, text.reportExplanation);
  const explanation = h('textarea', { id: `${field}-explanation`, rows: '3', maxlength: '2000' });
  const goodFaith = h('input', { type: 'checkbox', id: `${field}-good-faith` });
  const email = h('input', { type: 'email', id: `${field}-email`, autocomplete: 'email' });
  const goodFaithLabel = h('label', { for: goodFaith.id }, text.goodFaith);
  const emailLabel = h('label', { for: email.id }, text.decisionEmail);
  const illegal = h(
    'div',
    { hidden: true },
    h('p', { class: 'choice' }, goodFaith, ' ', goodFaithLabel),
    h('p', {}, emailLabel, email),
  );
  const status = h('p', { class: 'status', role: 'status' });
  const send = h('button', { type: 'submit' }, text.sendReport);
  const showIllegal = (on: boolean) => {
    illegal.hidden = !on;
    explanationLabel.textContent = on ? text.illegalExplanation : text.reportExplanation;
  };
  const radios = reasons.map((label) => label.querySelector('input') as HTMLInputElement);
  // The API's field names, with what a reader sees of each: its inputs and its label.
  const fields: Record<string, () => [HTMLElement[], string]> = {
    reason: () => [radios, text.reportReason],
    explanation: () => [[explanation], explanationLabel.textContent ?? ''],
    goodFaith: () => [[goodFaith], text.goodFaith],
    email: () => [[email], text.decisionEmail],
  };
  const refused = (errors: FieldError[]) => {
    const named = errors.flatMap((error) => {
      const known = fields[error.field];
      return known ? [known()] : [];
    });
    for (const element of [...radios, explanation, goodFaith, email])
      element.removeAttribute('aria-invalid');
    for (const [inputs] of named)
      for (const input of inputs) input.setAttribute('aria-invalid', 'true');
    named[0]?.[0][0]?.focus();
    return text.checkReport(named.map(([, label]) => label));
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const reason = radios.find((radio) => radio.checked);
    const notice = reason?.value === 'illegal';
    const body = {
      visitorId: visitorId(),
      reason: reason?.value,
      explanation: explanation.value.trim() || undefined,
      goodFaith: notice ? goodFaith.checked : undefined,
      email: notice ? email.value.trim() || undefined : undefined,
      reader: list.token_(),
    };
    send.disabled = true;
    send.textContent = text.sendingReport;
    try {
      await list.api.call_(`/comments/${encodeURIComponent(id)}/reports`, 'POST', body);
      const thanks = h('p', { class: 'notice', role: 'status', tabindex: '-1' }, text.reportSent);
      part.replaceChildren(thanks);
      thanks.focus();
      return;
    } catch (error) {
      status.textContent = !(error instanceof ApiError)
        ? text.reportFailed
        : error.status === 429
          ? text.reportingTooFast(error.retryAfter)
          : error.status === 400 && error.errors[0]
            ? refused(error.errors)
            : text.reportFailed;
    }
    send.disabled = false;
    send.textContent = text.sendReport;
  };
  const form = h(
    'form',
    {
      'aria-labelledby': heading,
      novalidate: true,
      onsubmit: submit,
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === 'Escape') close();
      },
    },
    h('h3', { id: heading }, text.reportHeading),
    reasonSet,
    h('p', {}, explanationLabel, explanation),
    illegal,
    status,
    h(
      'p',
      { class: 'actions' },
      send,
      ' ',
      h('button', { type: 'button', class: 'link', onclick: close }, text.cancelReport),
    ),
  );
  // What the thread keeps drawing: the form, then the thanks in its place.
  const part = h('div', { class: 'report' }, form);
  return part;
}
