/**
 * `commenter <id|email> [--ban|--trust|--suspend 7d|--normal] [--note "..."]`: shows a commenter's
 * record (docs/moderation.md, "Commenter records"), after changing what is given. An email is
 * looked up first (GET /admin/commenters?email=, operators only); each id it stands for is shown.
 */
import { type Context, option, UsageError } from './commands';

interface CommenterAnswer {
  commenterId: string;
  state: string;
  until: string | null;
  note: string | null;
  setBy: string | null;
  setAt: string | null;
  counts: { published: number; pending: number; spam: number };
  firstSeen: string | null;
}

const STATE_FLAGS = { ban: 'banned', trust: 'trusted', normal: 'normal' } as const;

/** `--suspend 7d` or `12h`: the end of the suspension from now. */
function suspendedUntil(length: string): string {
  const match = /^(\d{1,4})([dh])$/.exec(length);
  if (!match) throw new UsageError(`--suspend needs a length such as 7d or 12h, got ${length}`);
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  return new Date(Date.now() + hours * 3_600_000).toISOString();
}

function recordLine(record: CommenterAnswer): string {
  const { published, pending, spam } = record.counts;
  return [
    `${record.commenterId}: ${record.state}${record.until ? ` until ${record.until}` : ''}`,
    `${published} published, ${pending} pending, ${spam} spam`,
    `first seen ${record.firstSeen ?? 'never'}`,
    ...(record.setBy ? [`set by ${record.setBy} at ${record.setAt}`] : []),
    ...(record.note ? [`note ${JSON.stringify(record.note)}`] : []),
  ].join(' · ');
}

/** The change the flags ask for, or undefined for none; a usage error for two states. */
function changeOf(args: string[]): Record<string, unknown> | undefined {
  const change: Record<string, unknown> = {};
  const states: string[] = [];
  for (const [flag, state] of Object.entries(STATE_FLAGS)) {
    const index = args.indexOf(`--${flag}`);
    if (index < 0) continue;
    args.splice(index, 1);
    states.push(state);
  }
  const suspend = option(args, 'suspend');
  if (suspend !== undefined) {
    states.push('suspended');
    change.until = suspendedUntil(suspend);
  }
  if (states.length > 1)
    throw new UsageError('commenter takes one of --ban, --trust, --suspend, --normal');
  const note = option(args, 'note');
  if (states[0]) change.state = states[0];
  if (note !== undefined) change.note = note;
  const unknown = args.slice(2).find((arg) => arg.startsWith('--'));
  if (unknown) throw new UsageError(`commenter does not take ${unknown}`);
  return Object.keys(change).length > 0 ? change : undefined;
}

export async function commenter(cx: Context): Promise<number> {
  const args = [...cx.args];
  const change = changeOf(args);
  const target = cx.needTarget('a commenter id or an email address');
  let ids = [target];
  if (cx.target?.includes('@')) {
    const found = await cx.answer<{ commenterIds: string[] }>(
      200,
      'GET',
      `/admin/commenters?email=${encodeURIComponent(cx.target)}`,
    );
    if (!found) return 1;
    ids = found.commenterIds.map(encodeURIComponent);
  }
  let failed = 0;
  for (const id of ids) {
    const path = `/admin/commenters/${id}`;
    let body = change;
    // A note alone keeps the state (and a suspension's end) as it is.
    if (body && body.state === undefined) {
      const current = await cx.answer<CommenterAnswer>(200, 'GET', path);
      if (!current) {
        failed += 1;
        continue;
      }
      body = { state: current.state, ...(current.until ? { until: current.until } : {}), ...body };
    }
    const answer = body
      ? await cx.answer<CommenterAnswer>(200, 'PUT', path, body)
      : await cx.answer<CommenterAnswer>(200, 'GET', path);
    if (answer) cx.print(recordLine(answer));
    else failed += 1;
  }
  return failed === ids.length ? 1 : 0;
}
