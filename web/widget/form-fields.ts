/** The reply form's labelled fields, each with the message saying what is wrong with it. */
import type { FieldError } from '../shared/api';
import { h, uniqueId } from './core';
import { formStrings } from './form-strings';

export type FieldName = 'name' | 'email' | 'website' | 'body';

interface Field {
  input: HTMLInputElement | HTMLTextAreaElement;
  error: HTMLElement;
  label: string;
}

export function formFields() {
  const fields = {} as Record<FieldName, Field>;
  return {
    /** The paragraph holding one field: label (with * when required), input, error. */
    field(name: FieldName, label: string, required: boolean, input: Field['input']) {
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
          required &&
            h('span', { class: 'required', 'aria-hidden': 'true' }, ` ${formStrings().required}`),
        ),
        input,
        error,
      );
    },
    input: (name: FieldName) => fields[name].input,
    /** Shows (or clears) one field's message as the reader types, leaving focus where it is. */
    hint_(name: FieldName, message: string | null) {
      const { input, error, label } = fields[name];
      error.hidden = message === null;
      error.textContent = message === null ? '' : formStrings().fieldError(label, message);
      if (message === null) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      } else {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', error.id);
      }
    },
    value: (name: FieldName) => fields[name].input.value.trim(),
    /** Marks the fields `errors` names (clearing the others) and focuses the first; true if any. */
    showErrors_(errors: FieldError[]): boolean {
      for (const [name, { input, error, label }] of Object.entries(fields)) {
        const problem = errors.find((e) => e.field === name);
        error.hidden = !problem;
        error.textContent = problem ? formStrings().fieldError(label, problem.message) : '';
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
    },
  };
}

export type FormFields = ReturnType<typeof formFields>;
