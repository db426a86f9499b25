import type { AppRouter } from '@retrace/api';
import { isTRPCClientError, type TRPCClientError } from '@trpc/client';

type FieldIssue = NonNullable<TRPCClientError<AppRouter>['data']>['issues'][number];

/** The API's input fields as a CLI user knows them: the argument or flag they typed. */
const FIELD_WORDS: Record<string, string> = {
  name: 'the project name',
  prompt: 'the prompt',
  verifyCommand: '--verify',
  sourceRepo: '--source',
  basePrompt: '--base-prompt',
  learnFromRunId: '--learn-from',
  learnFromRunIds: '--learn-from',
  fromRunId: '--from',
  profile: '--profile',
  attempts: '--attempts',
  note: '--note',
  id: 'the run',
  runIds: 'the run',
  // An experiment's arm: the CLI's second arm is the one --learn-from or --auto-learn made.
  'arms.*.learnFromRunIds': '--learn-from',
  'arms.*.autoLearn': '--auto-learn',
};

/**
 * One of the API's field issues as a sentence: the API's sentences about a run or a project
 * name it first ("run #5 did not succeed …") and stand alone; other messages get the name the
 * user knows the field by, never the API's field name (an unknown field gets none).
 */
export function issueSentence({ field, message }: FieldIssue): string {
  if (/^(run|project) /.test(message)) return message;
  const words = FIELD_WORDS[field.replace(/\.\d+\./g, '.*.')];
  return words ? `${words}: ${message}` : message;
}

/** What the CLI prints for an error: its sentences, then how to get past it when it knows. */
export function errorLines(error: unknown, url: string): string[] {
  const apiError = isTRPCClientError<AppRouter>(error) ? error : null;
  const issues = apiError?.data?.issues ?? [];
  const message = error instanceof Error ? error.message : String(error);
  const lines = (issues.length > 0 ? issues.map(issueSentence) : [message]).map((line) => `retrace: ${line}`);
  if (/fetch failed|ECONNREFUSED/.test(message))
    lines.push(`Is Retrace running at ${url}? Start it with npm start.`);
  if (apiError?.data?.code === 'UNAUTHORIZED')
    lines.push(
      `Pass the server's token with --token or RETRACE_TOKEN (it is in the file "token" of its data dir).`,
    );
  return lines;
}
