import { z } from 'zod';

/** An id of something stored: anything else is simply not found. */
export const entityId = z.string().min(1, 'must not be empty').max(100, 'is not a valid id');

/** Forms send "" for an empty optional field: that means "none". */
export const optionalText = (maxLength: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    z.string().trim().max(maxLength, `must be at most ${maxLength} characters`).nullish(),
  );

export const requiredText = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty');

export const pageLimit = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback);

/** A subscription cursor: the id of the last event the client received. */
export const lastEventId = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event received earlier')
  .nullish()
  .transform((value) => (value ? Number(value) : 0));
