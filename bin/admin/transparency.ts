/**
 * `transparency --from DATE --to DATE [--format json|csv]`: the counts of a DSA transparency
 * report (GET /admin/transparency, docs/moderation.md "Transparency"). The counts are kept per
 * month, so a date stands for its whole month; the answer names the months it covers.
 */
import type { TransparencyReport } from '../../lambda/domain/transparency';
import { type Context, option, UsageError } from './commands';

/** `2026-11-05` or `2026-11` → `2026-11`. */
function monthOf(value: string | undefined, name: string): string {
  const match = value === undefined ? null : /^(\d{4}-(0[1-9]|1[0-2]))(-\d{2})?$/.exec(value);
  if (!match?.[1]) throw new UsageError(`--${name} needs a date such as 2026-11-01 or 2026-11`);
  return match[1];
}

/** One `section,key,count` row per count; a value with a comma or quote is quoted. */
export function transparencyCsv(report: TransparencyReport): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows: (string | number)[][] = [['section', 'key', 'count']];
  for (const [reason, n] of Object.entries(report.noticesByReason))
    rows.push(['notices', reason, n]);
  for (const [ground, n] of Object.entries(report.actionsByGround))
    rows.push(['actions', ground, n]);
  const { decisions } = report;
  rows.push(
    ['decisions', 'human', decisions.human],
    ['decisions', 'removals with automated means', decisions.removalsWithAutomatedMeans],
    ['decisions', 'removals by human means only', decisions.removalsByHumanMeansOnly],
    ['screen', 'upheld', decisions.screen.upheld],
    ['screen', 'overturned', decisions.screen.overturned],
    ['median', 'minutes from notice to decision', report.medianMinutesFromNoticeToDecision ?? ''],
  );
  return rows.map((row) => row.map(cell).join(',')).join('\n');
}

export async function transparency(cx: Context): Promise<number> {
  const from = monthOf(option(cx.args, 'from'), 'from');
  const to = monthOf(option(cx.args, 'to'), 'to');
  const format = option(cx.args, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format is json or csv');
  const query = new URLSearchParams({ from, to }).toString();
  const report = await cx.answer<TransparencyReport>(200, 'GET', `/admin/transparency?${query}`);
  if (!report) return 1;
  cx.note(`Counts of the whole months ${from} to ${to}.`);
  cx.print(format === 'csv' ? transparencyCsv(report) : JSON.stringify(report, null, 2));
  return 0;
}
