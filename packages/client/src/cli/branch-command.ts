import { defineCommand } from './command';
import { formatGit } from './render';
import { print, resolveRunId } from './resolve';

export const branchRun = defineCommand({
  name: 'branch',
  args: ['run'],
  options: ['name', 'push'],
  about:
    "make an ended run's change one commit on a new branch of its project's local repository (checkout untouched)",
  async run({ client, args, values }) {
    const id = await resolveRunId(client, args.run);
    const branch = await client.runs.toBranch.mutate({
      id,
      ...(values.name ? { branch: values.name } : {}),
      ...(values.push ? { push: true } : {}),
    });
    print(values, branch, () => {
      for (const line of formatGit({ baseCommit: null, branch })) console.log(line);
    });
    return 0;
  },
});
