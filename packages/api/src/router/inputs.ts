import { z } from 'zod';

/** An id of something stored: anything else is simply not found. */
export const entityId = z.string().min(1, 'must not be empty').max(100, 'is not a valid id');

/** The first C0 control character or DEL in a text, as U+XXXX, or null. */
function controlCharacter(value: string): string | null {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** SQLite's C strings end at a NUL: a text holding one would be stored cut, so it is refused. */
const withoutNul = (schema: z.ZodString) =>
  schema.refine((value) => !value.includes('\u0000'), 'must not contain a NUL character (U+0000)');

/** Forms send "" for an empty optional field: that means "none". */
export const optionalText = (maxLength: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    withoutNul(z.string().trim().max(maxLength, `must be at most ${maxLength} characters`)).nullish(),
  );

/** Any text a person writes (a prompt, say): kept exactly, every character but NUL allowed. */
export const requiredText = (maxLength: number) =>
  withoutNul(z.string().max(maxLength, `must be at most ${maxLength} characters`)).refine(
    (value) => value.trim().length > 0,
    'must not be empty',
  );

/** A name people read in lists: one line of printable text. */
export const nameText = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .superRefine((value, context) => {
      const found = controlCharacter(value);
      if (found)
        context.addIssue({ code: 'custom', message: `must not contain control characters (found ${found})` });
    })
    .refine((value) => value.trim().length > 0, 'must not be empty');

export const pageLimit = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback);

/** A subscription cursor: the id of the last event the client received. */
export const lastEventId = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event received earlier')
  .nullish()
  .transform((value) => (value ? Number(value) : 0));
