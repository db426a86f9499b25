/** Names of variables a command must never see: Retrace's own, and anything shaped like a secret. */
const SECRET_NAME =
  /^(RETRACE_|OPENAI_)|KEY|TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|AUTH(?!OR)|COOKIE|SESSION/i;

/**
 * The environment Codex and the verify command start from: the caller's, less Retrace's
 * variables and anything that looks like a key, token or secret.
 */
export function commandEnvironment(base: Record<string, string | undefined>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !SECRET_NAME.test(name)) clean[name] = value;
  }
  return clean;
}

/**
 * What Codex itself keeps out of the commands it runs (its shell_environment_policy): the
 * key it was given for its model, and the same secret shapes, in case one got through.
 */
export const CODEX_COMMAND_ENV_EXCLUDE = [
  'OPENAI_*',
  '*KEY*',
  '*TOKEN*',
  '*SECRET*',
  '*PASSW*',
  '*CREDENTIAL*',
];
