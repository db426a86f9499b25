import { describe, expect, it } from 'vitest';
import { findVariables } from './variables';

const values = (text: string) => findVariables(text).map(({ kind, value }) => `${kind}:${value}`);

describe('findVariables', () => {
  it.each([
    ['cat ./config/x.json', ['file:./config/x.json']],
    ['open src/a.ts:42', ['file:src/a.ts', 'range:42']],
    ['vim /etc/nginx/nginx.conf', ['file:/etc/nginx/nginx.conf']],
    ['python reproduce_bug.py', ['file:reproduce_bug.py']],
    ['see lines 10-20 of README.md', ['range:10-20', 'file:README.md']],
    ['look at L10-L20', ['range:10-20']],
    ['see src/app.ts#L42', ['file:src/app.ts', 'range:42']],
    ['sed -n 10,20p src/app.py', ['range:10-20', 'file:src/app.py']],
    ['edit 287:296 pydicom/handler.py', ['range:287-296', 'file:pydicom/handler.py']],
    ["sed -i 's/foo/bar/g' a.txt", ['substitution:foo → bar', 'file:a.txt']],
    [
      'edit notes/a.txt: replace "hello" with "hi there"',
      ['file:notes/a.txt', 'substitution:hello → hi there'],
    ],
    ['rename oldName to newName', ['substitution:oldName → newName']],
  ])('%s', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it.each([
    'Use a helper, e.g. a map, i.e. a dictionary.',
    'Upgrade to v1.2.3 or 2.0.1',
    'This is a Node.js project built with Vue.js',
    'See https://example.com/docs/page.html for details',
    'Write to me at someone@example.com',
    'Keep it in the L2 cache',
    'See the docs/e.g. section',
  ])('finds nothing in prose: %s', (text) => {
    expect(values(text)).toEqual([]);
  });
});
