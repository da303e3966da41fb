/**
 * The report form's text: English here, in its chunk (report.ts); a language's file and a site's
 * overrides carry these entries too (strings.ts keeps the whole table it compiled), and win.
 */
import { strings } from './core';
import type { LanguageTable } from './strings';

/** The reasons of the API's POST /comments/{id}/reports, in the form's order. */
export const REASONS = ['spam', 'abuse', 'off-topic', 'personal-information', 'illegal', 'other'];

export const reportEn = {
  reportHeading: 'Report this comment',
  reportReason: 'Why should the moderators look at it?',
  'reason:spam': 'Spam or advertising',
  'reason:abuse': 'Abuse, harassment or hate',
  'reason:off-topic': 'Off topic',
  'reason:personal-information': "Someone's personal information",
  // A notice of illegal content (EU Digital Services Act, Art. 16): the three entries after it.
  'reason:illegal': 'Illegal content',
  'reason:other': 'Something else',
  reportExplanation: 'Anything the moderators should know (optional)',
  illegalExplanation: 'Why is it illegal? Say which law, and where in the comment (required)',
  goodFaith:
    'I confirm in good faith that the explanation and allegations in this notice are accurate and complete.',
  decisionEmail: 'Email, to be told of the decision (optional)',
  sendReport: 'Send report',
  sendingReport: 'Sending…',
  cancelReport: 'Cancel',
  reportSent: 'Thanks: the moderators will look at it.',
  reportFailed: 'Your report could not be sent. Please try again.',
  // A 400: {fields} is the labels of the fields the API refused, in a list.
  checkReport: 'Please check: {fields}',
  // A 429: {wait} is `seconds` when Retry-After is readable, else `aMoment`.
  reportingTooFast: "You're reporting too fast. Please wait {wait} and try again.",
};

export type ReportTable = typeof reportEn;

/** The report form's strings in the thread's language. */
export function reportStrings() {
  const table: ReportTable = { ...reportEn, ...(strings.table_ as Partial<LanguageTable>) };
  return {
    ...table,
    reason_: (reason: string) => table[`reason:${reason}` as keyof ReportTable] ?? reason,
    checkReport: (fields: string[]) =>
      strings.text_(table.checkReport, 0, { fields: fields.join('; ') }),
    reportingTooFast: (seconds: number | null) =>
      strings.text_(table.reportingTooFast, 0, { wait: strings.wait(seconds) }),
  };
}
