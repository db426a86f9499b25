import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minVersion, satisfies, validRange } from 'semver';
import { expect, it } from 'vitest';

// `npm ci` warns (EBADENGINE) for every installed package whose engines exclude the Node
// version at hand: every version the README promises must satisfy all of them.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(`${root}${path}`, 'utf8'));

it('every locked package supports the Node versions the project states', () => {
  const stated: string = read('package.json').engines.node;
  const oldest = minVersion(stated)?.version;
  expect(oldest, `engines.node ${stated}`).toBeDefined();
  expect(readFileSync(`${root}README.md`, 'utf8')).toContain(
    `Node.js ${oldest?.replace(/\.0$/, '')} or newer`,
  );
  const packages: Record<string, { engines?: { node?: string } }> = read('package-lock.json').packages;
  const excluding = Object.entries(packages)
    .filter(([, pkg]) => typeof pkg.engines?.node === 'string' && validRange(pkg.engines.node))
    .filter(([, pkg]) => !satisfies(oldest ?? '0.0.0', pkg.engines?.node ?? '*'))
    .map(([path, pkg]) => `${path.replace(/^.*node_modules\//, '')} needs node ${pkg.engines?.node}`);
  expect(excluding).toEqual([]);
});
