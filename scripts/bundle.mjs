/**
 * Last step of `npm run build`: bundles the compiled entry points (dist/server.js, dist/cli.js, made
 * by tsc) with their npm dependencies into dist/bundle/, which `npm start` and `npm run cli` run.
 *
 * Why: Node resolves and reads every module file separately; the service loads ~130 compiled files
 * and ~400 files of express, zod, prom-client and the rest, and that took about half of its start-up.
 * One file per entry plus shared chunks load in a fraction of that. Dynamic imports (the server's
 * jobs, nodemailer, the retrain code) stay separate chunks, loaded when first used.
 *
 * Left outside, loaded from node_modules as before: better-sqlite3 (it loads a native addon from its
 * own folder) and iconv-lite (it requires its ~0.5 MB of code tables only when a legacy charset is
 * first decoded; bundled, they were parsed at every start, ~40 % of the bundled start-up).
 *
 * `node scripts/bundle.mjs [distDir]` (default dist): reads <distDir>/server.js and cli.js, writes
 * <distDir>/bundle/.
 */
import path from 'node:path';
import { build } from 'esbuild';

const distDir = process.argv[2] ?? 'dist';

await build({
  entryPoints: [path.join(distDir, 'server.js'), path.join(distDir, 'cli.js')],
  outdir: path.join(distDir, 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'iconv-lite'],
  sourcemap: true,
  // CommonJS packages inside an ES module bundle call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
