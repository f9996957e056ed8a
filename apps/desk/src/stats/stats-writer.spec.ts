import { actionOf } from './stats-writer.service';

const AT = new Date('2026-12-01T00:00:00Z');

describe('actions the statistics count, by name', () => {
  it.each([
    ['a missed deadline (escalation entry)', { event: 'escalated', escalation: { stage: 'follow-up' } }, [{ sequence: 7, action: 'escalate', stage: 'follow-up', at: AT }]],
    ['the forward to Ombudsman RI', { event: 'forwarded-ombudsman' }, [{ sequence: 7, action: 'forward-ombudsman', at: AT }]],
    ['an explicit action field', { action: 'escalate', stage: 'acceptance' }, [{ sequence: 7, action: 'escalate', stage: 'acceptance', at: AT }]],
    ['a plain status change', {}, []],
    ['a plain status change with null fields', { event: null, escalation: null }, []],
  ])('should read %s', (_name, source, expected) => {
    expect(actionOf(source as Parameters<typeof actionOf>[0], 7, AT)).toEqual(expected);
  });
});
