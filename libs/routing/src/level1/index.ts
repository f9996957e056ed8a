// Level-1 routing: which government body answers a complaint.
export { BodyRouter, TRIAGE_NAME, DEFAULT_TRIAGE_THRESHOLD } from './body-router';
export type { BodyRouterOptions, RouteInput, DescribedBody } from './body-router';
export { DATA_DIR_ENV, defaultRulesFile } from './data-paths';
export { complaintCategories, RulesFileSchema, RuleSchema } from './rules-engine';
export type { Rule, RulesFile } from './rules-engine';
export { classifySubmissionType } from './submission-type';
