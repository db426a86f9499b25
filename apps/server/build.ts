/**
 * Bundles the server into dist/main.js, which `npm start` runs with plain node: no tsx loader
 * and no transpiled sources held in memory, and only the code it uses (about 60 MB less
 * resident than `node --import tsx src/main.ts`).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { SERVER_BUNDLE } from './bundle-path';

const entry = fileURLToPath(new URL('./src/main.ts', import.meta.url));
const outDir = dirname(SERVER_BUNDLE);

/**
 * Loaded from node_modules at run time rather than bundled: libSQL's client loads a native
 * binding for the platform, and the tokenizer's ranks (4 MB of source) are imported only when
 * a pattern is first extracted.
 */
const EXTERNAL = /^(@libsql\/client|gpt-tokenizer)(\/|$)/;

/** An import from `outDir` of a file, as node wants it: relative, forward slashes. */
const fromBundle = (file: string) => {
  const path = relative(outDir, file).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
};

/**
 * Each external import points at the file its importer resolved (a package may be nested
 * under the workspace that needs it, out of reach from dist/), as a path relative to the
 * bundle so the checkout can move.
 */
const externalsWhereResolved: Plugin = {
  name: 'externals-where-resolved',
  setup(bundle) {
    bundle.onResolve({ filter: EXTERNAL }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const found = await bundle.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: fromBundle(found.path), external: true };
    });
  },
};

/**
 * Our sources find files beside them through `import.meta.url` (the migrations, the web app's
 * build, the Codex package): in the bundle each keeps meaning its own file, not dist/main.js.
 */
const importMetaUrlOfSource: Plugin = {
  name: 'import-meta-url-of-source',
  setup(bundle) {
    bundle.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const ownUrl = `new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', ownUrl), loader: 'ts' };
    });
  },
};

/** Writes dist/main.js whole, then renames it in place: a server starting meanwhile reads the old one or the new one. */
export async function buildServer(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Bundled CommonJS dependencies (cross-spawn under execa) call require for node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    plugins: [externalsWhereResolved, importMetaUrlOfSource],
    write: false,
    logLevel: 'warning',
  });
  await mkdir(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.tmp`;
    await writeFile(partial, file.contents);
    await rename(partial, file.path);
  }
  return SERVER_BUNDLE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bundle = await buildServer();
  console.log(`built ${relative(process.cwd(), bundle)}`);
}
