import { z } from 'zod';

/**
 * What a submission is, as SP4N-LAPOR! classifies it: a complaint about a public service
 * (pengaduan), a request for information (permintaan informasi) or an aspiration/suggestion
 * (aspirasi). Routing proposes one with a confidence; officers can correct it.
 */
export const SUBMISSION_TYPE_LABELS = {
  complaint: 'Pengaduan',
  information_request: 'Permintaan Informasi',
  aspiration: 'Aspirasi',
} as const;

export const SubmissionType = z.enum(
  Object.keys(SUBMISSION_TYPE_LABELS) as [keyof typeof SUBMISSION_TYPE_LABELS, ...(keyof typeof SUBMISSION_TYPE_LABELS)[]],
);
export type SubmissionType = z.infer<typeof SubmissionType>;

/** Routing's proposal: the type, how sure it is, and the cue phrases it found (for the officer). */
export const SubmissionTypeDecision = z.object({
  type: SubmissionType,
  confidence: z.number().min(0).max(1),
  cues: z.array(z.string()),
});
export type SubmissionTypeDecision = z.infer<typeof SubmissionTypeDecision>;
