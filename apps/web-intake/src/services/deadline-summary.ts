import { Injectable } from '@nestjs/common';
import type { DeadlinePolicy, DeadlineRule, DeadlineStage } from '@lapor/contracts';
import { loadDeadlinePolicy, ruleFor } from '@lapor/deadlines';

/** A stage's time as the reporter is told it: working days, or clock hours for a lane that counts them. */
export type StageDuration = { workingDays: number } | { hours: number };

export interface DeadlineSummary {
  verification: StageDuration;
  acceptance: StageDuration;
  firstResponse: StageDuration;
  /** UU 14/2008 Pasal 22 (7): a request for public information has its own first-response time. */
  firstResponseInformationRequest: StageDuration;
  followUp: StageDuration;
}

/**
 * The deadlines a new complaint runs under, for the confirmation page: the default policy file
 * of libs/deadlines (the same file the desk starts from; a national admin's later change in the
 * desk applies to the stages that start after it, so this is what the reporter can expect).
 */
@Injectable()
export class DeadlineSummaries {
  private summary?: DeadlineSummary;

  current(): DeadlineSummary {
    return (this.summary ??= summarize(loadDeadlinePolicy()));
  }
}

export function summarize(policy: DeadlinePolicy): DeadlineSummary {
  const of = (stage: DeadlineStage, submissionType?: 'information_request') => duration(ruleFor(policy, { stage, submissionType }).rule);
  return {
    verification: of('verification'),
    acceptance: of('acceptance'),
    firstResponse: of('first-response'),
    firstResponseInformationRequest: of('first-response', 'information_request'),
    followUp: of('follow-up'),
  };
}

function duration(rule: DeadlineRule): StageDuration {
  return 'workingDays' in rule ? { workingDays: rule.workingDays } : { hours: rule.hours };
}
