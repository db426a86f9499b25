import { describe, expect, it } from 'vitest';
import { formatGit, formatLineage, lineageIds } from './render';

const commit = 'a'.repeat(12) + 'b'.repeat(28);

describe('where a run came from, as show prints it', () => {
  it('names the runs it learned from, continued and retried by number', () => {
    const run = {
      learnFromRunId: 'run_1',
      fromRunId: 'run_1',
      retryOfRunId: 'run_4',
      pattern: null,
    };
    expect(lineageIds(run)).toEqual(['run_1', 'run_1', 'run_4']);
    expect(
      formatLineage(
        run,
        new Map([
          ['run_1', 1],
          ['run_4', 4],
        ]),
      ),
    ).toEqual(['learned from: #1', "continued from: #1's workspace", 'retry of: #4']);
    expect(
      formatLineage({ learnFromRunId: null, fromRunId: null, retryOfRunId: null, pattern: null }, new Map()),
    ).toEqual([]);
  });

  it('gives the base commit and the branch, pushed or not', () => {
    const branch = { name: 'retrace/demo-2', commit, remote: 'git@example.com:me/app.git', pushedAt: null };
    expect(formatGit({ baseCommit: commit, branch })).toEqual([
      'base commit: aaaaaaaaaaaa',
      'branch: retrace/demo-2 at aaaaaaaaaaaa, not pushed to git@example.com:me/app.git',
    ]);
    expect(formatGit({ baseCommit: null, branch: { ...branch, pushedAt: 1 } })).toEqual([
      'branch: retrace/demo-2 at aaaaaaaaaaaa, pushed to git@example.com:me/app.git',
    ]);
    expect(formatGit({ baseCommit: null, branch: { ...branch, remote: null } })).toEqual([
      'branch: retrace/demo-2 at aaaaaaaaaaaa',
    ]);
    expect(formatGit({ baseCommit: null, branch: null })).toEqual([]);
  });
});
