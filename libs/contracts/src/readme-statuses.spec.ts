import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPLAINT_ACTION_LABELS, COMPLAINT_STATUSES, ComplaintActionName, ComplaintStatus, TRANSITIONS, isTerminal } from './lifecycle';

/** The README's statuses table, as COMPLAINT_STATUSES and TRANSITIONS define it (the README is written from this). */
function statusesTable(): string {
  const from = (status: ComplaintStatus) =>
    (Object.keys(TRANSITIONS) as ComplaintActionName[])
      .filter((a) => {
        const rule = TRANSITIONS[a];
        return rule.from === 'any-open' ? !isTerminal(status) : rule.from.includes(status);
      })
      .map((a) => `\`${a}\``)
      .join(', ');
  const rows = (Object.entries(COMPLAINT_STATUSES) as [ComplaintStatus, (typeof COMPLAINT_STATUSES)[ComplaintStatus]][]).map(
    ([id, s]) => `| \`${id}\` | ${s.label} | ${s.stage} | ${from(id) || '— (final)'} |`,
  );
  return ['| status | label (shown to citizens and officers) | stage | actions from here |', '|---|---|---|---|', ...rows].join('\n');
}

describe('README statuses table', () => {
  it('should match COMPLAINT_STATUSES and the transition table (paste the expected table into README.md between the markers)', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const section = /<!-- statuses:start -->\n([\s\S]*?)\n<!-- statuses:end -->/.exec(readme)?.[1];
    expect(section).toBe(statusesTable());
  });

  it('should name every action in Bahasa Indonesia', () => {
    for (const a of Object.keys(TRANSITIONS)) expect(COMPLAINT_ACTION_LABELS[a as ComplaintActionName]).toBeTruthy();
  });
});
