import type { StepKind } from '@retrace/protocol';

/** What a step does in the workflow: the extractor keeps "change" and "verify" first. */
export type StepRole =
  | 'change'
  | 'verify'
  | 'reproduce'
  | 'run'
  | 'locate'
  | 'inspect'
  | 'setup'
  | 'cleanup'
  | 'explore'
  | 'finish'
  | 'delegate'
  | 'search'
  | 'message';

const CHECK =
  /\b(pytest|py\.test|tox|nox|unittest|vitest|jest|mocha|ava|tap|go test|cargo (test|check|clippy)|make (test|check)|mvn (test|verify)|gradle(w)? test|ctest|phpunit|rspec|rake test|dotnet test|tsc|eslint|biome|ruff|mypy|pyright|flake8|pylint|shellcheck|(npm|yarn|pnpm|bun)( run)? (test|lint|typecheck|check|build))\b/;
const SCRIPT =
  /^(python3?|node|ruby|bash|sh|zsh|go run|cargo run|deno( run)?|tsx|bun( run)?|php|perl|java)(\s|$)|^\.\//;
const LOCATE = /^(grep|rg|ag|ack|find|find_file|search_dir|search_file|fd|git grep|locate)\b/;
const INSPECT =
  /^(open|cat|head|tail|less|more|view|nl|bat|sed -n|goto|scroll_up|scroll_down|git (show|diff|log|blame))\b/;
const EXPLORE = /^(ls|tree|pwd|cd|echo|which|whoami|git status|env|printenv)\b/;
const SETUP =
  /^(pip3?|python3? -m pip|poetry|uv|npm (i|install|ci)|yarn( add| install)?$|pnpm (i|install|add)|cargo (build|fetch)|go (mod|get|build)|make$|apt(-get)?|brew|bundle|gem|composer)\b/;
const CLEANUP = /^(rm|rmdir|git clean|git checkout --|git restore)\b/;
const FINISH = /^(submit|exit|git commit|git push)\b/;

/** A command's role, judged from the command and whether a file changed before it. */
export function commandRole(command: string, afterChange: boolean): StepRole {
  if (CHECK.test(command)) return afterChange ? 'verify' : 'reproduce';
  if (SCRIPT.test(command)) return afterChange ? 'verify' : 'reproduce';
  if (LOCATE.test(command)) return 'locate';
  if (INSPECT.test(command)) return 'inspect';
  if (EXPLORE.test(command)) return 'explore';
  if (SETUP.test(command)) return 'setup';
  if (CLEANUP.test(command)) return 'cleanup';
  if (FINISH.test(command)) return 'finish';
  return 'run';
}

export function roleOf(kind: StepKind, instruction: string, afterChange: boolean): StepRole {
  switch (kind) {
    case 'file_change':
      return 'change';
    case 'command':
      return commandRole(instruction, afterChange);
    case 'tool_call':
      // The runner agent handing the task to Codex restates the prompt; Codex's own steps say more.
      return /^codex_exec\b/.test(instruction) ? 'delegate' : 'run';
    case 'web_search':
      return 'search';
    default:
      return 'message';
  }
}

/** How much a step is worth keeping when the block is over its caps. */
export const ROLE_SCORE: Record<StepRole, number> = {
  change: 100,
  verify: 90,
  reproduce: 80,
  run: 60,
  locate: 55,
  inspect: 45,
  setup: 45,
  search: 35,
  finish: 30,
  cleanup: 30,
  explore: 20,
  delegate: 15,
  message: 5,
};
