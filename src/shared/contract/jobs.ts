import { z } from 'zod';
import { method } from './define.js';
import { ERROR_CODES } from '../errors.js';

export const JobKindSchema = z.enum(['render', 'export', 'pack-install']);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobStartedSchema = z.object({ jobId: z.string(), kind: JobKindSchema });
export type JobStarted = z.infer<typeof JobStartedSchema>;

export const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Progress of a long job: what it is doing now (in words), how far, and how long is left. A render or an
 * export waiting for its turn (the engine runs a few at a time) gives its place in line, 1 being next.
 */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  kind: JobKindSchema,
  stage: z.string(),
  fraction: z.number().min(0).max(1),
  etaSeconds: z.number().min(0).nullable(),
  queuePosition: z.number().int().min(1).optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobFailedSchema = z.object({
  jobId: z.string(),
  kind: JobKindSchema,
  error: ErrorPayloadSchema,
});
export type JobFailed = z.infer<typeof JobFailedSchema>;

export const jobMethods = {
  cancelJob: method(
    z.object({ jobId: z.string() }),
    z.object({ cancelled: z.boolean() }),
    'Stops a job; it ends with a CANCELLED failure and leaves nothing half-written.',
  ),
};
