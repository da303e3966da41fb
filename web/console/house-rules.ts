/**
 * The house rules' view (docs/moderation.md, "Editing the house rules"): the words and phrases
 * that hold a comment or make it spam, the email domains that do, and what to do with disposable
 * addresses. Opened, it reads the rules in force; saved, it replaces every list from the version
 * read, and shows what was stored or the server's field errors.
 */
import type { HouseRulesState } from '../shared/admin-api';
import { h } from '../shared/dom';
import { ApiError } from './api';
import { byId } from './dom';
import { failed } from './failure';
import { call } from './state';

/** Each list's field: one entry a line. */
const LISTS = {
  hold: 'rules-hold',
  block: 'rules-block',
  'emailDomains.hold': 'rules-email-hold',
  'emailDomains.block': 'rules-email-block',
} as const;

let version = 0;

const area = (id: string) => byId<HTMLTextAreaElement>(id);
const lines = (id: string) =>
  area(id)
    .value.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

function show(rules: HouseRulesState): void {
  version = rules.version;
  area(LISTS.hold).value = rules.hold.join('\n');
  area(LISTS.block).value = rules.block.join('\n');
  area(LISTS['emailDomains.hold']).value = rules.emailDomains.hold.join('\n');
  area(LISTS['emailDomains.block']).value = rules.emailDomains.block.join('\n');
  byId<HTMLSelectElement>('rules-disposable').value = rules.emailDomains.disposable;
  byId('rules-status').textContent =
    rules.updatedAt === null
      ? 'The deployment’s starting rules: not changed here yet.'
      : `Saved version ${rules.version} at ${new Date(rules.updatedAt).toLocaleString()}.`;
}

/** Reads the rules in force into the form. */
export async function openHouseRules(): Promise<void> {
  byId('rules-errors').replaceChildren();
  try {
    show((await call('GET', `/admin/house-rules`)) as HouseRulesState);
  } catch (caught) {
    failed(caught);
  }
}

/** Saves every list from the version read; a refusal lists the fields the server named. */
export async function saveHouseRules(): Promise<void> {
  const errors = byId('rules-errors');
  errors.replaceChildren();
  const body = {
    hold: lines(LISTS.hold),
    block: lines(LISTS.block),
    emailDomains: {
      disposable: byId<HTMLSelectElement>('rules-disposable').value,
      hold: lines(LISTS['emailDomains.hold']),
      block: lines(LISTS['emailDomains.block']),
    },
    version,
  };
  try {
    show((await call('PUT', `/admin/house-rules`, body)) as HouseRulesState);
  } catch (caught) {
    if (caught instanceof ApiError && (caught.status === 400 || caught.status === 409)) {
      errors.append(
        h(
          'p',
          {},
          caught.status === 409 ? `${caught.detail} Open the rules again.` : caught.detail,
        ),
        h(
          'ul',
          {},
          ...caught.errors.map((error) =>
            h('li', {}, `${fieldLabel(error.field)}: ${error.message}`),
          ),
        ),
      );
      return;
    }
    failed(caught);
  }
}

/** A field as the form names it: `hold.2` is the third entry (blank lines aside) of the hold list. */
function fieldLabel(field: string): string {
  const match = /^(hold|block|emailDomains\.hold|emailDomains\.block)(?:\.(\d+))?$/.exec(field);
  const names: Record<string, string> = {
    hold: 'Hold words and phrases',
    block: 'Spam words and phrases',
    'emailDomains.hold': 'Hold email domains',
    'emailDomains.block': 'Spam email domains',
  };
  if (!match) return field === 'emailDomains.disposable' ? 'Disposable addresses' : field;
  const name = names[match[1] as string] as string;
  return match[2] === undefined ? name : `${name}, entry ${Number(match[2]) + 1}`;
}
